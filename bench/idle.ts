/**
 * Idle singletons: the host's memory with many Counters waiting on external events. Counters are started through
 * the app (the same path users take); a few warm-up starts come first so code loaded lazily on the first start is
 * not billed to the instances.
 */
import { performance } from 'node:perf_hooks';
import { startHostWorker } from './host-client';
import { describe } from './http';
import { runLoad } from './load';
import type { BenchOptions } from './options';
import type { IdleSection } from './report';
import { round } from './stats';

const WARMUP_INSTANCES = 50;

export async function measureIdle(options: BenchOptions, repoRoot: string): Promise<IdleSection> {
  const worker = await startHostWorker(repoRoot, options, 'idle');
  try {
    const startUrl = (id: string): string => `${worker.url}/api/orchestrators/Counter/${id}`;
    let warm = 0;
    const warmup = await runLoad({
      url: startUrl('warm-0'),
      connections: 4,
      amount: WARMUP_INSTANCES,
      pathForRequest: () => `/api/orchestrators/Counter/warm-${warm++}`,
    });
    if (warmup.statusCodes['202'] !== WARMUP_INSTANCES) {
      throw new Error(`warm-up starts: expected ${WARMUP_INSTANCES} × 202, got ${JSON.stringify(warmup.statusCodes)}`);
    }
    await worker.whenIdle();
    const before = await worker.memory();

    let next = 0;
    const started = performance.now();
    const load = await runLoad({
      url: startUrl('idle-0'),
      connections: 16,
      amount: options.idleInstances,
      pathForRequest: () => `/api/orchestrators/Counter/idle-${next++}`,
      timeoutSeconds: 30,
    });
    await worker.whenIdle();
    const startSeconds = (performance.now() - started) / 1000;
    const accepted = load.statusCodes['202'] ?? 0;
    if (accepted !== options.idleInstances) {
      throw new Error(`idle starts: expected ${options.idleInstances} × 202, got ${JSON.stringify(load.statusCodes)}`);
    }
    const running = await countRunning(worker.url, 'idle-');
    const after = await worker.memory();
    return {
      instances: options.idleInstances,
      running,
      startsPerSecond: round(accepted / startSeconds, 1),
      before,
      after,
      bytesPerInstance: {
        heapUsed: Math.round((after.heapUsedBytes - before.heapUsedBytes) / options.idleInstances),
        rss: Math.round((after.rssBytes - before.rssBytes) / options.idleInstances),
      },
      host: 'in-process',
    };
  } finally {
    await worker.stop();
  }
}

/** Pages through the management API's instance list, counting Running instances whose ID starts with `prefix`. */
async function countRunning(baseUrl: string, prefix: string): Promise<number> {
  let count = 0;
  let continuation: string | null = null;
  for (let page = 0; page < 10_000; page++) {
    const url = `${baseUrl}/runtime/webhooks/durabletask/instances?runtimeStatus=Running&instanceIdPrefix=${prefix}&top=1000`;
    const response = await fetch(url, { headers: continuation ? { 'x-ms-continuation-token': continuation } : {} });
    const text = await response.text();
    if (response.status !== 200)
      throw new Error(
        `listing instances: ${describe({ status: response.status, body: text, headers: response.headers })}`,
      );
    const items = JSON.parse(text) as unknown;
    if (!Array.isArray(items))
      throw new Error(`listing instances: expected a JSON array, received ${text.slice(0, 200)}`);
    count += items.length;
    continuation = response.headers.get('x-ms-continuation-token');
    if (!continuation || continuation === 'null' || items.length === 0) return count;
  }
  return count;
}
