/** The shape of `bench/results/latest.json`, the aims of issue 4, and the one table printed at the end of a run. */
import type { LoadFigures } from './load';
import type { MachineInfo } from './machine';
import type { LatencySummary } from './stats';

export interface MemoryFigures {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** True when `global.gc()` ran just before the reading (the process was started with `--expose-gc`). */
  afterGc: boolean;
}

export interface SectionFailure {
  error: string;
}

export interface LoadPoint extends LoadFigures {
  /** This point's requests/s over the baseline's at the same concurrency. */
  ratioToBaseline: number | null;
}

export interface BaselineSection {
  server: string;
  points: LoadFigures[];
}

export interface ConflictSection {
  instanceId: string;
  points: (LoadPoint & { allConflict: boolean })[];
}

export interface StartSection {
  points: (LoadPoint & { startsPerSecond: number; allAccepted: boolean })[];
  /** Delay from sending a start to the first status read that shows Running, one start at a time. */
  runningDelay: LatencySummary & { timedOut: number };
}

export interface LoopCheckpoint {
  /** Iterations completed when the memory was read. */
  iterations: number;
  target: number;
  /** Loop time so far (the segments' start-to-completion times added up). */
  elapsedSeconds: number;
  /** Slowest status request while this segment ran: large when the loop starves the host's HTTP server. */
  slowestStatusPollMs: number;
  /** Host process CPU time (user + system) when the checkpoint was reached, Linux only. */
  hostCpuMs?: number;
  memory: MemoryFigures;
}

export interface LoopSection {
  orchestrator: string;
  /** Over all segments, start request to completion. */
  iterationsPerSecond: number;
  /** Between the first and the last checkpoint (warm). */
  steadyIterationsPerSecond: number;
  /** Host CPU per iteration between the first and the last checkpoint (Linux only). */
  hostCpuUsPerIteration?: number;
  beforeStart: MemoryFigures;
  checkpoints: LoopCheckpoint[];
  /** Heap used at the last checkpoint minus the first. */
  heapGrowthBytes: number;
  rssGrowthBytes: number;
  flat: boolean;
  host: 'in-process';
}

export interface IdleSection {
  instances: number;
  /** Instances counted Running through the management API after the starts. */
  running: number;
  startsPerSecond: number;
  before: MemoryFigures;
  after: MemoryFigures;
  bytesPerInstance: { heapUsed: number; rss: number };
  host: 'in-process';
}

export interface Aim {
  name: string;
  target: string;
  actual: string;
  met: boolean;
}

export interface BenchReport {
  schemaVersion: 1;
  date: string;
  machine: MachineInfo;
  /** 1-minute load average at the start and the end: figures from a busy machine are not comparable. */
  loadAverage: { atStart: number; atEnd: number };
  settings: {
    quick: boolean;
    durationSeconds: number;
    warmupSeconds: number;
    runningDelaySamples: number;
    loopCheckpoints: number[];
    idleInstances: number;
  };
  baseline: BaselineSection | SectionFailure;
  conflict: ConflictSection | SectionFailure;
  start: StartSection | SectionFailure;
  loop: LoopSection | SectionFailure;
  idle: IdleSection | SectionFailure;
  aims: Aim[];
}

export function isFailure(section: object): section is SectionFailure {
  return 'error' in section;
}

/** Growth between checkpoints small enough to be noise rather than a leak: 10 % of the heap, at least 4 MiB. */
export function isFlat(first: MemoryFigures, last: MemoryFigures): boolean {
  const allowed = Math.max(4 * 2 ** 20, first.heapUsedBytes * 0.1);
  return last.heapUsedBytes - first.heapUsedBytes <= allowed;
}

export const AIMS = {
  conflictRatio: 0.5,
  startsPerSecond: 2000,
  loopIterationsPerSecond: 1000,
};

export function evaluateAims(report: Omit<BenchReport, 'aims'>): Aim[] {
  const aims: Aim[] = [];
  if (!isFailure(report.conflict)) {
    for (const point of report.conflict.points) {
      aims.push({
        name: `conflict path c=${point.connections}`,
        target: `≥ ${percent(AIMS.conflictRatio)} of baseline req/s`,
        actual: point.ratioToBaseline === null ? 'n/a' : percent(point.ratioToBaseline),
        met: point.ratioToBaseline !== null && point.ratioToBaseline >= AIMS.conflictRatio && point.allConflict,
      });
    }
  }
  if (!isFailure(report.start)) {
    for (const point of report.start.points) {
      aims.push({
        name: `start path c=${point.connections}`,
        target: `≥ ${thousands(AIMS.startsPerSecond)} starts/s`,
        actual: `${thousands(point.startsPerSecond)} starts/s`,
        met: point.startsPerSecond >= AIMS.startsPerSecond && point.allAccepted,
      });
    }
  }
  if (!isFailure(report.loop)) {
    aims.push({
      name: 'eternal loop',
      target: `≥ ${thousands(AIMS.loopIterationsPerSecond)} iterations/s`,
      actual: `${thousands(report.loop.iterationsPerSecond)} iterations/s`,
      met: report.loop.iterationsPerSecond >= AIMS.loopIterationsPerSecond,
    });
    const first = report.loop.checkpoints[0];
    const last = report.loop.checkpoints[report.loop.checkpoints.length - 1];
    aims.push({
      name: 'eternal loop memory',
      target: 'flat (heap growth ≤ max(4 MiB, 10 %))',
      actual:
        first && last
          ? `heap ${mib(first.memory.heapUsedBytes)} → ${mib(last.memory.heapUsedBytes)} (${first.iterations} → ${last.iterations} iterations)`
          : 'n/a',
      met: report.loop.flat,
    });
  }
  return aims;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const COLUMNS = [
  'Path',
  'Conc.',
  'Figure',
  'p50 ms',
  'p99 ms',
  'Server CPU µs/req',
  'vs baseline',
  'Status codes',
  'Aim',
  'Met',
] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

function emptyRow(path: string): Row {
  return {
    Path: path,
    'Conc.': '',
    Figure: '',
    'p50 ms': '',
    'p99 ms': '',
    'Server CPU µs/req': '',
    'vs baseline': '',
    'Status codes': '',
    Aim: '',
    Met: '',
  };
}

function loadRow(path: string, point: LoadFigures, figure: string, ratio: number | null): Row {
  return {
    ...emptyRow(path),
    'Conc.': String(point.connections),
    Figure: figure,
    'p50 ms': ms(point.p50Ms),
    'p99 ms': ms(point.p99Ms),
    'Server CPU µs/req': point.serverCpuUsPerRequest === undefined ? '' : thousands(point.serverCpuUsPerRequest),
    'vs baseline': ratio === null ? '' : percent(ratio),
    'Status codes': codeMix(point.statusCodes, point.errors + point.timeouts),
  };
}

function rows(report: BenchReport): Row[] {
  const out: Row[] = [];
  const failed = (path: string, section: SectionFailure): Row => ({
    ...emptyRow(path),
    Figure: `failed: ${section.error}`,
  });

  if (isFailure(report.baseline)) out.push(failed('baseline', report.baseline));
  else
    for (const p of report.baseline.points)
      out.push(loadRow('baseline: bare node:http', p, `${thousands(p.requestsPerSecond)} req/s`, 1));

  if (isFailure(report.conflict)) out.push(failed('conflict 409', report.conflict));
  else
    for (const p of report.conflict.points)
      out.push({
        ...loadRow('conflict 409 (instance exists)', p, `${thousands(p.requestsPerSecond)} req/s`, p.ratioToBaseline),
        Aim: `≥ ${percent(AIMS.conflictRatio)}`,
        Met: yesNo(p.ratioToBaseline !== null && p.ratioToBaseline >= AIMS.conflictRatio && p.allConflict),
      });

  if (isFailure(report.start)) out.push(failed('start 202', report.start));
  else {
    for (const p of report.start.points)
      out.push({
        ...loadRow('start 202 (new ID each)', p, `${thousands(p.startsPerSecond)} starts/s`, p.ratioToBaseline),
        Aim: `≥ ${thousands(AIMS.startsPerSecond)}/s`,
        Met: yesNo(p.startsPerSecond >= AIMS.startsPerSecond && p.allAccepted),
      });
    const d = report.start.runningDelay;
    out.push({
      ...emptyRow('start → Running (status poll)'),
      'Conc.': '1',
      Figure: `${d.samples} starts${d.timedOut ? `, ${d.timedOut} timed out` : ''}`,
      'p50 ms': ms(d.p50Ms),
      'p99 ms': ms(d.p99Ms),
    });
  }

  if (isFailure(report.loop)) out.push(failed('eternal loop', report.loop));
  else {
    const loop = report.loop;
    const baseline1 = isFailure(report.baseline) ? undefined : report.baseline.points.find((p) => p.connections === 1);
    out.push({
      ...emptyRow('eternal loop (activity + timer + continueAsNew)'),
      'Conc.': '1',
      Figure: `${thousands(loop.iterationsPerSecond)} iterations/s`,
      'Server CPU µs/req': loop.hostCpuUsPerIteration === undefined ? '' : thousands(loop.hostCpuUsPerIteration),
      'vs baseline': baseline1 ? `${percent(loop.iterationsPerSecond / baseline1.requestsPerSecond)} of c=1` : '',
      Aim: `≥ ${thousands(AIMS.loopIterationsPerSecond)}/s`,
      Met: yesNo(loop.iterationsPerSecond >= AIMS.loopIterationsPerSecond),
    });
    loop.checkpoints.forEach((c, i) => {
      const last = i === loop.checkpoints.length - 1;
      out.push({
        ...emptyRow(`loop memory after ${thousands(c.iterations)} iterations`),
        Figure: `${memory(c.memory)}; slowest status read ${ms(c.slowestStatusPollMs)} ms`,
        Aim: last ? 'flat' : '',
        Met: last ? yesNo(loop.flat) : '',
      });
    });
  }

  if (isFailure(report.idle)) out.push(failed('idle singletons', report.idle));
  else {
    const idle = report.idle;
    out.push({
      ...emptyRow(`idle singletons: ${thousands(idle.running)} Counters waiting`),
      Figure:
        `heap +${mib(idle.after.heapUsedBytes - idle.before.heapUsedBytes)}, ` +
        `RSS +${mib(idle.after.rssBytes - idle.before.rssBytes)}; ` +
        `${kib(idle.bytesPerInstance.heapUsed)} heap/instance`,
    });
  }
  return out;
}

/** The table as Markdown, padded so it reads as well in a terminal as in the README. */
export function renderTable(report: BenchReport): string {
  const body = rows(report);
  const widths = COLUMNS.map((c) => Math.max(c.length, ...body.map((r) => r[c].length)));
  const numeric = new Set<string>(['Conc.', 'p50 ms', 'p99 ms', 'Server CPU µs/req', 'vs baseline']);
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (numeric.has(COLUMNS[i] ?? '') ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${COLUMNS.map((c, i) => (numeric.has(c) ? `${'-'.repeat((widths[i] ?? 0) + 1)}:` : '-'.repeat((widths[i] ?? 0) + 2))).join('|')}|`;
  return [line([...COLUMNS]), rule, ...body.map((r) => line(COLUMNS.map((c) => r[c])))].join('\n');
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KiB`;
}

function memory(m: MemoryFigures): string {
  return `heap ${mib(m.heapUsedBytes)}, RSS ${mib(m.rssBytes)}${m.afterGc ? '' : ' (no GC)'}`;
}

function yesNo(met: boolean): string {
  return met ? 'yes' : 'no';
}

function codeMix(codes: Record<string, number>, errors: number): string {
  const total = Object.values(codes).reduce((a, b) => a + b, 0) + errors;
  if (total === 0) return 'none';
  const parts = Object.entries(codes)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code}: ${n === total ? '100' : ((n / total) * 100).toFixed(1)} %`);
  if (errors > 0) parts.push(`errors: ${((errors / total) * 100).toFixed(1)} %`);
  return parts.join(', ');
}
