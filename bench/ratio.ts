/** Ratios to the baseline measured in the same run, at the same concurrency. */
import type { LoadFigures } from './load';
import { round } from './stats';

export function ratioTo(baseline: LoadFigures[] | undefined, connections: number, perSecond: number): number | null {
  const point = baseline?.find((p) => p.connections === connections);
  if (!point || point.requestsPerSecond <= 0) return null;
  return round(perSecond / point.requestsPerSecond, 4);
}
