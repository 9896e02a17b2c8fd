/**
 * Conflict path: the singleton starter refusing a start because the instance exists. `Counter/bench-c1` is started
 * once (it then waits on external events forever), and every request under load must come back 409.
 */
import type { AppHost } from './app-host';
import { describe, requestJson } from './http';
import { runLoad, type LoadFigures } from './load';
import type { BenchOptions } from './options';
import type { ConflictSection } from './report';
import { ratioTo } from './ratio';

export const CONFLICT_INSTANCE_ID = 'bench-c1';

export async function measureConflict(
  host: AppHost,
  options: BenchOptions,
  baseline: LoadFigures[] | undefined,
): Promise<ConflictSection> {
  const url = `${host.url}/api/orchestrators/Counter/${CONFLICT_INSTANCE_ID}`;
  const first = await requestJson('POST', url);
  if (first.status !== 202) throw new Error(`first start of Counter/${CONFLICT_INSTANCE_ID}: ${describe(first)}`);
  const second = await requestJson('POST', url);
  if (second.status !== 409) throw new Error(`second start of Counter/${CONFLICT_INSTANCE_ID}: ${describe(second)}`);

  await runLoad({ url, connections: Math.max(...options.connections), ...options.warmup });
  const points = [];
  for (const connections of options.connections) {
    const figures = await runLoad({ url, connections, ...options.point, serverPid: host.pid });
    const conflicts = figures.statusCodes['409'] ?? 0;
    points.push({
      ...figures,
      ratioToBaseline: ratioTo(baseline, connections, figures.requestsPerSecond),
      allConflict: figures.requests > 0 && conflicts === figures.requests && figures.errors + figures.timeouts === 0,
    });
  }
  return { instanceId: CONFLICT_INSTANCE_ID, points };
}
