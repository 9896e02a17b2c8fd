/** Command-line flags of `npm run bench`, parsed once into a typed plan of what to measure. */
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * How long one load point runs. (autocannon ends a run on its 1-second tick, so a fixed request count would not make
 * a quick run shorter, and a sub-second duration still runs about a second.)
 */
export type LoadSize = { durationSeconds: number };

export interface BenchOptions {
  quick: boolean;
  /** Length of each measured load point. */
  point: LoadSize;
  /** Length of the unmeasured warm-up before each server's first point. */
  warmup: LoadSize;
  /** Seconds per load point. */
  durationSeconds: number;
  /** Seconds of unmeasured load before each server's first point (JIT warm-up, connection set-up). */
  warmupSeconds: number;
  /** Concurrency levels of the baseline and the conflict path. */
  connections: number[];
  /** Concurrency levels of the start path. */
  startConnections: number[];
  /** Starts whose delay until Running is sampled one at a time. */
  runningDelaySamples: number;
  /** Loop iterations at which memory is taken; the last one ends the loop. */
  loopCheckpoints: number[];
  /** Instances left waiting on external events for the idle-memory figure. */
  idleInstances: number;
  /** Write `.cpuprofile` files of the in-process host workers into this folder. */
  cpuProfileDir: string | undefined;
  out: string;
}

export const usage = `Usage: npm run bench -- [--duration <seconds>] [--quick] [--out <file>] [--cpu-prof <dir>]
  --duration <s>   seconds per load point (default 10)
  --quick          a tiny smoke run (shortest load points, small counts)
  --out <file>     JSON results (default bench/results/latest.json, the committed results; with --quick
                   bench/results/quick.json, git-ignored, so a smoke run never replaces them)
  --cpu-prof <dir> write CPU profiles of the host processes into <dir>`;

/** Only a full run replaces the committed `latest.json`; a smoke run writes beside it, to an ignored file. */
export function defaultOut(repoRoot: string, quick: boolean): string {
  return path.join(repoRoot, 'bench', 'results', quick ? 'quick.json' : 'latest.json');
}

export function parseOptions(argv: string[], repoRoot: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick;
  let durationSeconds = quick ? 0.3 : 10;
  if (values.duration !== undefined) {
    durationSeconds = Number(values.duration);
    if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) {
      throw new Error(`--duration: expected a positive number of seconds, received '${values.duration}'`);
    }
  }
  const warmupSeconds = quick ? 0.2 : Math.min(3, durationSeconds);
  return {
    quick,
    point: { durationSeconds },
    warmup: { durationSeconds: warmupSeconds },
    durationSeconds,
    warmupSeconds,
    connections: [1, 16, 64],
    startConnections: [16, 64],
    runningDelaySamples: quick ? 10 : 200,
    loopCheckpoints: quick ? [1000, 3000] : [10_000, 100_000],
    idleInstances: quick ? 200 : 10_000,
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']),
    out: path.resolve(values.out ?? defaultOut(repoRoot, quick)),
  };
}
