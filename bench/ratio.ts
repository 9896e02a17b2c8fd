/** Ratios to the reference figures measured in the same run (the bare server, the SDK floor), at the same concurrency. */
import type { LoadFigures } from './load';
import { round } from './stats';

/** The figures a section's points are compared with. */
export interface References {
  /** The bare node:http server's points. */
  baseline: LoadFigures[] | undefined;
  /** The SDK floor's points on the same backend. */
  floor: LoadFigures[] | undefined;
}

export function ratioTo(reference: LoadFigures[] | undefined, connections: number, perSecond: number): number | null {
  const point = reference?.find((p) => p.connections === connections);
  if (!point || point.requestsPerSecond <= 0) return null;
  return round(perSecond / point.requestsPerSecond, 4);
}

/**
 * Server CPU per request of `point` over the reference's at the same concurrency: what a request costs relative to
 * the SDK floor's (1 = nothing above it), a figure that other work on the machine hardly moves, unlike requests/s.
 */
export function cpuRatioTo(reference: LoadFigures[] | undefined, point: LoadFigures): number | null {
  const base = reference?.find((p) => p.connections === point.connections)?.serverCpuUsPerRequest;
  const own = point.serverCpuUsPerRequest;
  if (base === undefined || own === undefined || base <= 0) return null;
  return round(own / base, 3);
}
