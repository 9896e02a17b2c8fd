/** Small, exact statistics over recorded samples (no histogram bucketing, so sub-millisecond latencies survive). */

/** A growable list of numbers kept in a typed array, so hundreds of thousands of latencies cost little memory. */
export class SampleList {
  private values = new Float64Array(1024);
  private count = 0;

  push(value: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = value;
  }

  get length(): number {
    return this.count;
  }

  /** Sorted copy of the samples. */
  sorted(): Float64Array {
    return this.values.slice(0, this.count).sort();
  }
}

/** Nearest-rank percentile of ascending `sorted` values; `NaN` when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
  return sorted[index] ?? Number.NaN;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(samples: SampleList | number[]): LatencySummary {
  const sorted = Array.isArray(samples) ? Float64Array.from(samples).sort() : samples.sorted();
  return {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    maxMs: round(sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] ?? Number.NaN), 3),
  };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
