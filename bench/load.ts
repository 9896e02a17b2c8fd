/**
 * A thin wrapper over autocannon that returns the figures the report needs. Latencies are taken from each response
 * (autocannon's own histogram has 1 ms resolution and leaves non-2xx responses out), so p50/p99 stay exact below a
 * millisecond and count 409s too.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { treeCpuTimeMs } from './proc';
import { SampleList, round, summarize } from './stats';

export interface LoadFigures {
  connections: number;
  /** Completed responses. */
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses by status code, e.g. `{ "409": 1234 }`. */
  statusCodes: Record<string, number>;
  /** Socket errors and timeouts. */
  errors: number;
  timeouts: number;
  elapsedSeconds: number;
  /**
   * CPU the server process and its children (the azurite backend's .NET host and Azurite) used during the run, as a
   * share of one core (when its PID is known, on Linux).
   */
  serverCpuPercent?: number;
  /** Server CPU time per completed response, in microseconds. */
  serverCpuUsPerRequest?: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'DELETE';
  connections: number;
  /** Run for this long; ignored when `amount` is given. */
  durationSeconds?: number;
  /** Send exactly this many requests, then stop. */
  amount?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Rewrites each request's path, e.g. to give every start a new instance ID. */
  pathForRequest?: () => string;
  /** Seconds before a request counts as timed out. */
  timeoutSeconds?: number;
  /** PID of the server process, to report its CPU use (with its children's). */
  serverPid?: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const statusCodes: Record<string, number> = {};
  const latencies = new SampleList();
  const pathForRequest = options.pathForRequest;
  const cpuBefore = options.serverPid === undefined ? undefined : treeCpuTimeMs(options.serverPid);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount === undefined ? { duration: options.durationSeconds ?? 10 } : { amount: options.amount }),
        timeout: options.timeoutSeconds ?? 10,
        method: options.method ?? 'POST',
        headers: options.headers,
        body: options.body,
        requests: pathForRequest
          ? [{ setupRequest: (request) => ({ ...request, path: pathForRequest() }) }]
          : undefined,
        setupClient: (client) => {
          client.on('response', (statusCode: number, _bytes: number, responseTimeMs: number) => {
            statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
            latencies.push(responseTimeMs);
          });
        },
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
  });
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpuAfter = options.serverPid === undefined ? undefined : treeCpuTimeMs(options.serverPid);
  const serverCpuMs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  const latency = summarize(latencies);
  return {
    connections: options.connections,
    requests: latencies.length,
    requestsPerSecond: round(latencies.length / elapsedSeconds, 1),
    p50Ms: latency.p50Ms,
    p99Ms: latency.p99Ms,
    maxMs: latency.maxMs,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedSeconds: round(elapsedSeconds, 3),
    ...(serverCpuMs === undefined
      ? {}
      : {
          serverCpuPercent: round((serverCpuMs / 1000 / elapsedSeconds) * 100, 1),
          serverCpuUsPerRequest: latencies.length > 0 ? round((serverCpuMs * 1000) / latencies.length, 1) : 0,
        }),
  };
}

/**
 * One server's load points: an unmeasured warm-up at the highest concurrency (JIT, connection set-up), then one
 * measured point per concurrency level, each turned into the section's own point by `point`.
 */
export async function runPoints<P>(
  load: Omit<LoadOptions, 'connections' | 'durationSeconds' | 'amount'>,
  connections: number[],
  sizes: { point: { durationSeconds: number }; warmup: { durationSeconds: number } },
  point: (figures: LoadFigures) => P,
): Promise<P[]> {
  await runLoad({ ...load, serverPid: undefined, connections: Math.max(...connections), ...sizes.warmup });
  const points: P[] = [];
  for (const level of connections) points.push(point(await runLoad({ ...load, connections: level, ...sizes.point })));
  return points;
}

/** Every request of the point got an answer, and every answer was `status`. */
export function allAnswered(figures: LoadFigures, status: string): boolean {
  const matching = figures.statusCodes[status] ?? 0;
  return figures.requests > 0 && matching === figures.requests && figures.errors + figures.timeouts === 0;
}
