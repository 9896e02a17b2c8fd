/**
 * Conflict path: the singleton starter refusing a start because the instance exists. `Counter/bench-c1` is started
 * once (it then waits on external events forever), and every request under load must come back 409.
 */
import type { AppHost } from './app-host';
import { describe, requestJson } from './http';
import { allAnswered, runPoints } from './load';
import type { BackendPlan, BenchOptions } from './options';
import type { ConflictSection } from './report';
import { cpuRatioTo, ratioTo, type References } from './ratio';

export const CONFLICT_INSTANCE_ID = 'bench-c1';

export async function measureConflict(
  host: AppHost,
  options: BenchOptions,
  plan: BackendPlan,
  references: References,
): Promise<ConflictSection> {
  const url = `${host.url}/api/orchestrators/Counter/${CONFLICT_INSTANCE_ID}`;
  const first = await requestJson('POST', url);
  if (first.status !== 202) throw new Error(`first start of Counter/${CONFLICT_INSTANCE_ID}: ${describe(first)}`);
  const second = await requestJson('POST', url);
  if (second.status !== 409) throw new Error(`second start of Counter/${CONFLICT_INSTANCE_ID}: ${describe(second)}`);

  const points = await runPoints({ url, serverPid: host.pid }, plan.connections, options, (p) => ({
    ...p,
    ratioToBaseline: ratioTo(references.baseline, p.connections, p.requestsPerSecond),
    ratioToFloor: ratioTo(references.floor, p.connections, p.requestsPerSecond),
    cpuToFloor: cpuRatioTo(references.floor, p),
    allConflict: allAnswered(p, '409'),
  }));
  return { instanceId: CONFLICT_INSTANCE_ID, points };
}
