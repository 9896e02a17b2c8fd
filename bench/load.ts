/**
 * A thin wrapper over autocannon that returns the figures the report needs. Latencies are taken from each response
 * (autocannon's own histogram has 1 ms resolution and leaves non-2xx responses out), so p50/p99 stay exact below a
 * millisecond and count 409s too.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { cpuTimeMs } from './proc';
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
  /** CPU the server process used during the run, as a share of one core (when its PID is known, on Linux). */
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
  /** PID of the server process, to report its CPU use. */
  serverPid?: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const statusCodes: Record<string, number> = {};
  const latencies = new SampleList();
  const pathForRequest = options.pathForRequest;
  const cpuBefore = options.serverPid === undefined ? undefined : cpuTimeMs(options.serverPid);
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
  const cpuAfter = options.serverPid === undefined ? undefined : cpuTimeMs(options.serverPid);
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
