/**
 * Eternal loop: iterations/s of the fixture orchestrator (activity → zero-length timer → continue-as-new) and the
 * host's memory as the iterations pile up. The host runs in-process in a worker child so its memory can be read
 * (after a GC) without the load generator's own allocations.
 *
 * The loop runs in segments, one per checkpoint: the instance runs to the checkpoint and completes, memory is read,
 * and the same instance ID is started again from there (a new execution, as a restart is). The status poll also
 * records its slowest answer: a host that lets one busy loop starve its HTTP server shows it there.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { Backend } from 'durable-local-host';
import { startHostWorker } from './host-client';
import { NetworkError, describe, field, requestJson, sleep } from './http';
import type { BackendPlan, BenchOptions } from './options';
import { descendantsRssBytes, treeCpuTimeMs } from './proc';
import { isFlat, type LoopCheckpoint, type LoopSection } from './report';
import { round } from './stats';

/** Status polls while the loop runs; on azurite each one is a storage read competing with the loop, so fewer. */
const POLL_MS: Record<Backend, number> = { memory: 20, azurite: 100 };
const INSTANCE_ID = 'bench-loop';

export async function measureLoop(options: BenchOptions, plan: BackendPlan, repoRoot: string): Promise<LoopSection> {
  const appDir = path.join(repoRoot, 'bench', 'fixtures', 'loop-app');
  const worker = await startHostWorker(appDir, options, `loop-${plan.backend}`, plan.backend);
  try {
    const beforeStart = await worker.memory();
    const startUrl = `${worker.url}/runtime/webhooks/durabletask/orchestrators/Loop/${INSTANCE_ID}`;
    const statusUrl = `${worker.url}/runtime/webhooks/durabletask/instances/${INSTANCE_ID}`;
    const checkpoints: LoopCheckpoint[] = [];
    let from = 0;
    let loopSeconds = 0;
    for (const target of [...plan.loopCheckpoints].sort((a, b) => a - b)) {
      const started = performance.now();
      const start = await requestJson('POST', startUrl, { iteration: from, stopAt: target });
      if (start.status !== 202) throw new Error(`starting the loop at ${from}: ${describe(start)}`);
      const slowestPollMs = await waitForOutput(statusUrl, target, POLL_MS[plan.backend]);
      loopSeconds += (performance.now() - started) / 1000;
      const hostCpuMs = treeCpuTimeMs(worker.pid); // before the memory reading, whose GC is not the loop's work
      checkpoints.push({
        iterations: target,
        target,
        elapsedSeconds: round(loopSeconds, 3),
        slowestStatusPollMs: round(slowestPollMs, 1),
        ...(hostCpuMs === undefined ? {} : { hostCpuMs }),
        memory: await worker.memory(),
        ...childrenRss(worker.pid),
      });
      from = target;
    }
    const first = checkpoints[0];
    const last = checkpoints[checkpoints.length - 1];
    if (!first || !last) throw new Error('no loop checkpoints configured');
    const steadySeconds = last.elapsedSeconds - first.elapsedSeconds;
    const steadyIterations = last.iterations - first.iterations;
    const steadyCpuMs =
      first.hostCpuMs === undefined || last.hostCpuMs === undefined ? undefined : last.hostCpuMs - first.hostCpuMs;
    return {
      orchestrator: 'Loop (bench/fixtures/loop-app)',
      iterationsPerSecond: round(last.iterations / last.elapsedSeconds, 1),
      steadyIterationsPerSecond: steadySeconds > 0 ? round(steadyIterations / steadySeconds, 1) : 0,
      ...(steadyCpuMs === undefined || steadyIterations <= 0
        ? {}
        : { hostCpuUsPerIteration: round((steadyCpuMs * 1000) / steadyIterations, 1) }),
      beforeStart,
      checkpoints,
      heapGrowthBytes: last.memory.heapUsedBytes - first.memory.heapUsedBytes,
      rssGrowthBytes: last.memory.rssBytes - first.memory.rssBytes,
      flat: isFlat(first.memory, last.memory),
      host: 'in-process',
    };
  } finally {
    await worker.stop();
  }
}

/** The host's children's resident memory, when it has children (the azurite backend's .NET host and Azurite). */
function childrenRss(pid: number): { childrenRssBytes?: number } {
  const bytes = descendantsRssBytes(pid);
  return bytes > 0 ? { childrenRssBytes: bytes } : {};
}

/** Polls until the loop completed with `target` as its output; returns the slowest status answer in ms. */
async function waitForOutput(statusUrl: string, target: number, pollMs: number): Promise<number> {
  let slowest = 0;
  let networkFailures = 0;
  for (;;) {
    const sent = performance.now();
    let status;
    try {
      status = await requestJson('GET', statusUrl);
    } catch (err) {
      // A kept-alive connection can be closed by the server just as a poll reuses it; a status read is safe to repeat.
      if (!(err instanceof NetworkError) || ++networkFailures > 3) throw err;
      continue;
    }
    slowest = Math.max(slowest, performance.now() - sent);
    if (status.status !== 200 && status.status !== 202) throw new Error(`loop status: ${describe(status)}`);
    const runtimeStatus = field(status.body, 'runtimeStatus');
    if (runtimeStatus === 'Completed') {
      const output = field(status.body, 'output');
      if (output === target) return slowest;
      throw new Error(`loop completed with ${JSON.stringify(output)}, expected ${target}`);
    }
    if (runtimeStatus === 'Failed' || runtimeStatus === 'Terminated') {
      throw new Error(`loop ended ${String(runtimeStatus)}: ${JSON.stringify(field(status.body, 'output'))}`);
    }
    await sleep(pollMs);
  }
}
