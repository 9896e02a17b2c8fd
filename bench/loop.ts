/**
 * Eternal loop: iterations/s of the fixture orchestrator (activity → zero-length timer → continue-as-new) and the
 * host's memory as the iterations pile up. The host runs in-process in a worker child so its memory can be read
 * (after a GC) without the load generator's own allocations.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { startHostWorker } from './host-client';
import { describe, field, requestJson, sleep } from './http';
import type { BenchOptions } from './options';
import { isFlat, type LoopCheckpoint, type LoopSection } from './report';
import { round } from './stats';

const POLL_MS = 20;

export async function measureLoop(options: BenchOptions, repoRoot: string): Promise<LoopSection> {
  const appDir = path.join(repoRoot, 'bench', 'fixtures', 'loop-app');
  const worker = await startHostWorker(appDir, options, 'loop');
  try {
    const stopAt = Math.max(...options.loopCheckpoints);
    const instanceId = 'bench-loop';
    const beforeStart = await worker.memory();
    const started = performance.now();
    const start = await requestJson(
      'POST',
      `${worker.url}/runtime/webhooks/durabletask/orchestrators/Loop/${instanceId}`,
      {
        iteration: 0,
        stopAt,
      },
    );
    if (start.status !== 202) throw new Error(`starting the loop: ${describe(start)}`);

    const statusUrl = `${worker.url}/runtime/webhooks/durabletask/instances/${instanceId}`;
    const checkpoints: LoopCheckpoint[] = [];
    for (const target of [...options.loopCheckpoints].sort((a, b) => a - b)) {
      for (;;) {
        const iterations = await readIterations(statusUrl);
        if (iterations >= target) {
          const elapsedSeconds = (performance.now() - started) / 1000;
          checkpoints.push({
            iterations,
            target,
            elapsedSeconds: round(elapsedSeconds, 3),
            memory: await worker.memory(),
          });
          break;
        }
        await sleep(POLL_MS);
      }
    }
    const first = checkpoints[0];
    const last = checkpoints[checkpoints.length - 1];
    if (!first || !last) throw new Error('no loop checkpoints configured');
    const steadySeconds = last.elapsedSeconds - first.elapsedSeconds;
    return {
      orchestrator: 'Loop (bench/fixtures/loop-app)',
      iterationsPerSecond: round(last.iterations / last.elapsedSeconds, 1),
      steadyIterationsPerSecond: steadySeconds > 0 ? round((last.iterations - first.iterations) / steadySeconds, 1) : 0,
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

/** Iterations done so far: the current generation's input, or the output once the loop has completed. */
async function readIterations(statusUrl: string): Promise<number> {
  const status = await requestJson('GET', statusUrl);
  if (status.status !== 200 && status.status !== 202) throw new Error(`loop status: ${describe(status)}`);
  const runtimeStatus = field(status.body, 'runtimeStatus');
  if (runtimeStatus === 'Completed') {
    const output = field(status.body, 'output');
    if (typeof output === 'number') return output;
  }
  if (runtimeStatus === 'Failed' || runtimeStatus === 'Terminated') {
    throw new Error(`loop ended ${String(runtimeStatus)}: ${JSON.stringify(field(status.body, 'output'))}`);
  }
  const iteration = field(field(status.body, 'input'), 'iteration');
  return typeof iteration === 'number' ? iteration : 0;
}
