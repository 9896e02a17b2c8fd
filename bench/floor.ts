/**
 * The SDK floor: `bench/fixtures/floor-app`, one HTTP function that makes one durable-client call (`getStatus` of an
 * instance that exists) and answers 200, served by the same local host as the app. Whatever a request of the app
 * costs above it is the app's own; the conflict path (one `getStatus`, then a 409) is the nearest to it.
 */
import path from 'node:path';
import type { AppHost } from './app-host';
import { describe, requestJson } from './http';
import { allAnswered, runPoints, type LoadFigures } from './load';
import type { BackendPlan, BenchOptions } from './options';
import { ratioTo } from './ratio';
import type { FloorSection } from './report';

export const FLOOR_INSTANCE_ID = 'bench-floor';

export function floorAppDir(repoRoot: string): string {
  return path.join(repoRoot, 'bench', 'fixtures', 'floor-app');
}

export async function measureFloor(
  host: AppHost,
  options: BenchOptions,
  plan: BackendPlan,
  baseline: LoadFigures[] | undefined,
): Promise<FloorSection> {
  const start = await requestJson(
    'POST',
    `${host.url}/runtime/webhooks/durabletask/orchestrators/Waiting/${FLOOR_INSTANCE_ID}`,
  );
  if (start.status !== 202) throw new Error(`starting Waiting/${FLOOR_INSTANCE_ID}: ${describe(start)}`);
  const url = `${host.url}/api/floor/${FLOOR_INSTANCE_ID}`;
  const first = await requestJson('GET', url);
  if (first.status !== 200) throw new Error(`GET ${url}: ${describe(first)}`);

  const points = await runPoints({ url, method: 'GET', serverPid: host.pid }, plan.connections, options, (p) => ({
    ...p,
    ratioToBaseline: ratioTo(baseline, p.connections, p.requestsPerSecond),
    allOk: allAnswered(p, '200'),
  }));
  return { fixture: 'bench/fixtures/floor-app: GET → getStatus of an existing instance → 200', points };
}
