/** Command-line flags of `npm run bench`, parsed once into a typed plan of what to measure. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Backend } from 'durable-local-host';
import { findOnPath } from 'durable-local-host';

/**
 * How long one load point runs. (autocannon ends a run on its 1-second tick, so a fixed request count would not make
 * a quick run shorter, and a sub-second duration still runs about a second.)
 */
export type LoadSize = { durationSeconds: number };

/** What runs on one durable backend: the SDK floor, the conflict and start paths, the eternal loop. */
export interface BackendPlan {
  backend: Backend;
  /** Concurrency levels of the SDK floor and the conflict path. */
  connections: number[];
  /** Concurrency levels of the start path. */
  startConnections: number[];
  /** Starts whose delay until Running is sampled one at a time. */
  runningDelaySamples: number;
  /** Loop iterations at which memory is taken; the last one ends the loop. */
  loopCheckpoints: number[];
}

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
  /** Concurrency levels of the baseline. */
  connections: number[];
  /** The backends measured, in this order (the first is the one the aims of issue 4 are checked on). */
  backends: BackendPlan[];
  /** Instances left waiting on external events for the idle-memory figure (memory backend only). */
  idleInstances: number;
  /** Write `.cpuprofile` files of the in-process host workers into this folder. */
  cpuProfileDir: string | undefined;
  out: string;
}

export const usage = `Usage: npm run bench -- [--backend memory|azurite|both] [--duration <seconds>] [--quick] [--out <file>]
                      [--cpu-prof <dir>]
  --backend <b>    durable backend(s) under the app: memory (the emulator), azurite (the real extension in the .NET
                   reference host, on Azurite) or both, side by side (default: both when dotnet is on PATH, else
                   memory; with --quick, memory)
  --duration <s>   seconds per load point (default 10)
  --quick          a tiny smoke run (shortest load points, small counts)
  --out <file>     JSON results (default bench/results/latest.json, the committed results; with --quick
                   bench/results/quick.json, git-ignored, so a smoke run never replaces them)
  --cpu-prof <dir> write CPU profiles of the host processes into <dir>`;

/** Only a full run replaces the committed `latest.json`; a smoke run writes beside it, to an ignored file. */
export function defaultOut(repoRoot: string, quick: boolean): string {
  return path.join(repoRoot, 'bench', 'results', quick ? 'quick.json' : 'latest.json');
}

const BACKEND_CHOICES: Record<string, Backend[]> = {
  memory: ['memory'],
  azurite: ['azurite'],
  both: ['memory', 'azurite'],
};

type Points = Omit<BackendPlan, 'backend'>;

/**
 * The points of each backend, full and quick. The real extension polls Azure Storage queues (at most 1 s apart
 * locally) and takes tens of milliseconds per loop iteration, so on azurite the loop runs hundreds of iterations, not
 * 100,000, and fewer delays are sampled; its load points are the emulator's, so every one has a ratio.
 */
const POINTS: Record<Backend, { full: Points; quick: Points }> = {
  memory: {
    full: {
      connections: [1, 16, 64],
      startConnections: [16, 64],
      runningDelaySamples: 200,
      loopCheckpoints: [10_000, 100_000],
    },
    quick: {
      connections: [1, 16, 64],
      startConnections: [16, 64],
      runningDelaySamples: 10,
      loopCheckpoints: [1000, 3000],
    },
  },
  azurite: {
    full: {
      connections: [1, 16, 64],
      startConnections: [16, 64],
      runningDelaySamples: 50,
      loopCheckpoints: [200, 1000],
    },
    quick: { connections: [1, 16, 64], startConnections: [16, 64], runningDelaySamples: 3, loopCheckpoints: [5, 10] },
  },
};

export function backendPlan(backend: Backend, quick: boolean): BackendPlan {
  return { backend, ...POINTS[backend][quick ? 'quick' : 'full'] };
}

function chooseBackends(value: string | undefined, quick: boolean, dotnetAvailable: () => boolean): Backend[] {
  if (value === undefined) return !quick && dotnetAvailable() ? ['memory', 'azurite'] : ['memory'];
  const chosen = BACKEND_CHOICES[value];
  if (!chosen) throw new Error(`--backend: expected memory, azurite or both, received '${value}'`);
  return chosen;
}

/** `dotnetAvailable` decides the default backends of a full run (both only when the reference host can run). */
export function parseOptions(
  argv: string[],
  repoRoot: string,
  dotnetAvailable: () => boolean = () => findOnPath('dotnet', process.env) !== undefined,
): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string' },
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
    backends: chooseBackends(values.backend, quick, dotnetAvailable).map((backend) => backendPlan(backend, quick)),
    idleInstances: quick ? 200 : 10_000,
    cpuProfileDir: values['cpu-prof'] === undefined ? undefined : path.resolve(values['cpu-prof']),
    out: path.resolve(values.out ?? defaultOut(repoRoot, quick)),
  };
}
