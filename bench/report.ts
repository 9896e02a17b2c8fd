/** The shape of `bench/results/latest.json`, the aims of issue 4, and the one table printed at the end of a run. */
import type { Backend } from 'durable-local-host';
import type { LoadFigures } from './load';
import type { MachineInfo } from './machine';
import type { BackendPlan } from './options';
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

/** The SDK floor: one HTTP function making one durable-client call, on the same host and backend as the app. */
export interface FloorSection {
  fixture: string;
  points: (LoadPoint & { allOk: boolean })[];
}

/** Against the SDK floor on the same backend, at the same concurrency. */
export interface FloorRatios {
  /** Requests/s (starts/s on the start path) over the floor's requests/s. */
  ratioToFloor: number | null;
  /** Server CPU per request over the floor's: the app's cost in units of the floor's. */
  cpuToFloor: number | null;
}

export interface ConflictSection {
  instanceId: string;
  points: (LoadPoint & FloorRatios & { allConflict: boolean })[];
}

export interface StartSection {
  points: (LoadPoint & FloorRatios & { startsPerSecond: number; allAccepted: boolean })[];
  /** Delay from sending a start to the first status read that shows Running, one start at a time. */
  runningDelay: LatencySummary & { timedOut: number };
}

export interface LoopCheckpoint {
  /** Iterations completed when the memory was read (the Node host's: on azurite the extension's is in .NET). */
  iterations: number;
  target: number;
  /** Loop time so far (the segments' start-to-completion times added up). */
  elapsedSeconds: number;
  /** Slowest status request while this segment ran: large when the loop starves the host's HTTP server. */
  slowestStatusPollMs: number;
  /** Host process CPU time (user + system) when the checkpoint was reached, its children's included, Linux only. */
  hostCpuMs?: number;
  memory: MemoryFigures;
  /** Resident memory of the host's child processes (on azurite: the .NET reference host and Azurite), Linux only. */
  childrenRssBytes?: number;
}

export interface LoopSection {
  orchestrator: string;
  /** Over all segments, start request to completion. */
  iterationsPerSecond: number;
  /** Between the first and the last checkpoint (warm). */
  steadyIterationsPerSecond: number;
  /** Host CPU per iteration between the first and the last checkpoint, its child processes' included (Linux only). */
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

/** What ran on one durable backend. */
export interface BackendSections {
  floor: FloorSection | SectionFailure;
  conflict: ConflictSection | SectionFailure;
  start: StartSection | SectionFailure;
  loop: LoopSection | SectionFailure;
}

export interface BenchReport {
  schemaVersion: 2;
  date: string;
  machine: MachineInfo;
  /** 1-minute load average at the start and the end: figures from a busy machine are not comparable. */
  loadAverage: { atStart: number; atEnd: number };
  settings: {
    quick: boolean;
    durationSeconds: number;
    warmupSeconds: number;
    /** The backends measured, in the table's column order, each with its own points. */
    backends: BackendPlan[];
    idleInstances: number;
  };
  /** The bare server does not depend on the backend: measured once. */
  baseline: BaselineSection | SectionFailure;
  backends: Partial<Record<Backend, BackendSections>>;
  /** Memory backend only (the emulator keeps its instances in the host's heap). */
  idle?: IdleSection | SectionFailure;
  /** Checked on the memory backend, the local host's own engine. */
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
  const memory = report.backends.memory;
  if (!memory) return aims;
  if (!isFailure(memory.conflict)) {
    for (const point of memory.conflict.points) {
      aims.push({
        name: `conflict path c=${point.connections}`,
        target: `≥ ${percent(AIMS.conflictRatio)} of baseline req/s`,
        actual: point.ratioToBaseline === null ? 'n/a' : percent(point.ratioToBaseline),
        met: point.ratioToBaseline !== null && point.ratioToBaseline >= AIMS.conflictRatio && point.allConflict,
      });
    }
  }
  if (!isFailure(memory.start)) {
    for (const point of memory.start.points) {
      aims.push({
        name: `start path c=${point.connections}`,
        target: `≥ ${thousands(AIMS.startsPerSecond)} starts/s`,
        actual: `${thousands(point.startsPerSecond)} starts/s`,
        met: point.startsPerSecond >= AIMS.startsPerSecond && point.allAccepted,
      });
    }
  }
  const loop = memory.loop;
  if (!isFailure(loop)) {
    aims.push({
      name: 'eternal loop',
      target: `≥ ${thousands(AIMS.loopIterationsPerSecond)} iterations/s`,
      actual: `${thousands(loop.iterationsPerSecond)} iterations/s`,
      met: loop.iterationsPerSecond >= AIMS.loopIterationsPerSecond,
    });
    const first = loop.checkpoints[0];
    const last = loop.checkpoints[loop.checkpoints.length - 1];
    aims.push({
      name: 'eternal loop memory',
      target: 'flat (heap growth ≤ max(4 MiB, 10 %))',
      actual:
        first && last
          ? `heap ${mib(first.memory.heapUsedBytes)} → ${mib(last.memory.heapUsedBytes)} (${first.iterations} → ${last.iterations} iterations)`
          : 'n/a',
      met: loop.flat,
    });
  }
  return aims;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering: one row per path and concurrency, one figure column per backend and, with two backends, their ratio;
// the other cells then read "memory / azurite".

/** One backend's figures in a row. */
interface Cells {
  figure: string;
  /** The figure as a number, for the ratio between backends (absent: no ratio). */
  value?: number;
  p50?: string;
  p99?: string;
  cpu?: string;
  cpuVsFloor?: string;
  vsFloor?: string;
  vsBaseline?: string;
  codes?: string;
}

interface RowSpec {
  /** Rows of the same section with the same key are one row across the backends. */
  key: string;
  /** Order within the section (concurrency, iterations). */
  order: number;
  path: string;
  conc: string;
  /** What the ratio column compares, when not the figure itself. */
  ratioOf?: string;
  /** The same for every backend (the bare server): its cells are shown once. */
  shared?: boolean;
  cells: Partial<Record<Backend, Cells>>;
  /** Only the memory backend's rows carry the aims. */
  aim?: string;
  met?: string;
}

type Build = (backend: Backend, spec: Omit<RowSpec, 'cells'> & { cells: Cells }) => RowSpec;
const build: Build = (backend, spec) => ({ ...spec, cells: { [backend]: spec.cells } });

/** One load point: its rate (req/s or starts/s), ratios, and the aim it is checked against (memory backend only). */
interface PointRowSpec {
  path: string;
  point: LoadFigures;
  perSecond: number;
  unit: string;
  vsFloor?: number | null;
  cpuVsFloor?: number | null;
  vsBaseline: number | null;
  aim?: { target: string; met: boolean };
  shared?: boolean;
}

function pointRow(backend: Backend, row: PointRowSpec): RowSpec {
  const p = row.point;
  const ratio = (value: number | null | undefined): string | undefined =>
    value === null || value === undefined ? undefined : percent(value);
  return build(backend, {
    key: `${row.path}:${p.connections}`,
    order: p.connections,
    path: row.path,
    conc: String(p.connections),
    ...(row.shared ? { shared: true } : {}),
    cells: {
      figure: `${thousands(row.perSecond)} ${row.unit}`,
      value: row.perSecond,
      p50: ms(p.p50Ms),
      p99: ms(p.p99Ms),
      cpu: p.serverCpuUsPerRequest === undefined ? undefined : thousands(p.serverCpuUsPerRequest),
      vsFloor: ratio(row.vsFloor),
      cpuVsFloor: row.cpuVsFloor === null || row.cpuVsFloor === undefined ? undefined : times(row.cpuVsFloor),
      vsBaseline: ratio(row.vsBaseline),
      codes: codeMix(p.statusCodes, p.errors + p.timeouts),
    },
    ...(backend === 'memory' && row.aim ? { aim: row.aim.target, met: yesNo(row.aim.met) } : {}),
  });
}

function failedRow(backend: Backend, path: string, failure: SectionFailure): RowSpec {
  const firstLine = failure.error.split('\n')[0] ?? '';
  const text = firstLine.length > 100 ? `${firstLine.slice(0, 99)}…` : firstLine;
  return build(backend, { key: `${path}:failed`, order: 0, path, conc: '', cells: { figure: `failed: ${text}` } });
}

function floorRows(backend: Backend, floor: FloorSection | SectionFailure): RowSpec[] {
  const path = 'SDK floor: one getStatus (fixture)';
  if (isFailure(floor)) return [failedRow(backend, path, floor)];
  return floor.points.map((p) =>
    pointRow(backend, {
      path,
      point: p,
      perSecond: p.requestsPerSecond,
      unit: 'req/s',
      vsFloor: 1,
      cpuVsFloor: 1,
      vsBaseline: p.ratioToBaseline,
    }),
  );
}

function conflictRows(backend: Backend, conflict: ConflictSection | SectionFailure): RowSpec[] {
  const path = 'conflict 409 (instance exists)';
  if (isFailure(conflict)) return [failedRow(backend, path, conflict)];
  return conflict.points.map((p) =>
    pointRow(backend, {
      path,
      point: p,
      perSecond: p.requestsPerSecond,
      unit: 'req/s',
      vsFloor: p.ratioToFloor,
      cpuVsFloor: p.cpuToFloor,
      vsBaseline: p.ratioToBaseline,
      aim: {
        target: `≥ ${percent(AIMS.conflictRatio)}`,
        met: p.ratioToBaseline !== null && p.ratioToBaseline >= AIMS.conflictRatio && p.allConflict,
      },
    }),
  );
}

function startRows(backend: Backend, start: StartSection | SectionFailure): RowSpec[] {
  const path = 'start 202 (new ID each)';
  if (isFailure(start)) return [failedRow(backend, path, start)];
  const rows = start.points.map((p) =>
    pointRow(backend, {
      path,
      point: p,
      perSecond: p.startsPerSecond,
      unit: 'starts/s',
      vsFloor: p.ratioToFloor,
      cpuVsFloor: p.cpuToFloor,
      vsBaseline: p.ratioToBaseline,
      aim: {
        target: `≥ ${thousands(AIMS.startsPerSecond)}/s`,
        met: p.startsPerSecond >= AIMS.startsPerSecond && p.allAccepted,
      },
    }),
  );
  const d = start.runningDelay;
  rows.push(
    build(backend, {
      key: 'start:running',
      order: Number.MAX_SAFE_INTEGER,
      path: 'start → Running (status poll)',
      conc: '1',
      ratioOf: 'p50',
      cells: {
        figure: `${d.samples} starts${d.timedOut ? `, ${d.timedOut} timed out` : ''}`,
        value: d.p50Ms,
        p50: ms(d.p50Ms),
        p99: ms(d.p99Ms),
      },
    }),
  );
  return rows;
}

function loopRows(backend: Backend, loop: LoopSection | SectionFailure, baseline1: LoadFigures | undefined): RowSpec[] {
  const path = 'eternal loop (activity + timer + continueAsNew)';
  if (isFailure(loop)) return [failedRow(backend, path, loop)];
  const memoryAims = backend === 'memory';
  const rows = [
    build(backend, {
      key: 'loop',
      order: 0,
      path,
      conc: '1',
      cells: {
        figure: `${thousands(loop.iterationsPerSecond)} iterations/s`,
        value: loop.iterationsPerSecond,
        cpu: loop.hostCpuUsPerIteration === undefined ? undefined : thousands(loop.hostCpuUsPerIteration),
        vsBaseline: baseline1 ? `${percent(loop.iterationsPerSecond / baseline1.requestsPerSecond)} of c=1` : undefined,
      },
      ...(memoryAims
        ? {
            aim: `≥ ${thousands(AIMS.loopIterationsPerSecond)}/s`,
            met: yesNo(loop.iterationsPerSecond >= AIMS.loopIterationsPerSecond),
          }
        : {}),
    }),
  ];
  loop.checkpoints.forEach((c, i) => {
    const last = memoryAims && i === loop.checkpoints.length - 1;
    rows.push(
      build(backend, {
        key: `loop:${c.iterations}`,
        order: c.iterations,
        path: `loop memory after ${thousands(c.iterations)} iterations`,
        conc: '',
        cells: {
          figure:
            `${memory(c.memory)}` +
            (c.childrenRssBytes ? `, children's RSS ${mib(c.childrenRssBytes)}` : '') +
            `; slowest status read ${ms(c.slowestStatusPollMs)} ms`,
        },
        ...(last ? { aim: 'flat', met: yesNo(loop.flat) } : {}),
      }),
    );
  });
  return rows;
}

function idleRows(idle: IdleSection | SectionFailure | undefined): RowSpec[] {
  if (idle === undefined) return [];
  if (isFailure(idle)) return [failedRow('memory', 'idle singletons', idle)];
  return [
    build('memory', {
      key: 'idle',
      order: 0,
      path: `idle singletons: ${thousands(idle.running)} Counters waiting`,
      conc: '',
      cells: {
        figure:
          `heap +${mib(idle.after.heapUsedBytes - idle.before.heapUsedBytes)}, ` +
          `RSS +${mib(idle.after.rssBytes - idle.before.rssBytes)}; ` +
          `${kib(idle.bytesPerInstance.heapUsed)} heap/instance`,
      },
    }),
  ];
}

/** One section's rows of every backend: the same key is one row; rows are in `order`, first seen first. */
function merge(groups: RowSpec[][]): RowSpec[] {
  const byKey = new Map<string, RowSpec>();
  for (const spec of groups.flat()) {
    const seen = byKey.get(spec.key);
    if (!seen) byKey.set(spec.key, { ...spec });
    else {
      seen.cells = { ...seen.cells, ...spec.cells };
      seen.aim ??= spec.aim;
      seen.met ??= spec.met;
    }
  }
  return [...byKey.values()].sort((a, b) => a.order - b.order);
}

function rowSpecs(report: BenchReport): RowSpec[] {
  const backends = report.settings.backends.map((plan) => plan.backend);
  const [first] = backends;
  const baselineRows =
    first === undefined
      ? []
      : isFailure(report.baseline)
        ? [failedRow(first, 'baseline', report.baseline)]
        : report.baseline.points.map((p) =>
            pointRow(first, {
              path: 'baseline: bare node:http (any backend)',
              point: p,
              perSecond: p.requestsPerSecond,
              unit: 'req/s',
              vsBaseline: 1,
              shared: true,
            }),
          );
  const baseline1 = isFailure(report.baseline) ? undefined : report.baseline.points.find((p) => p.connections === 1);
  const sections = backends.flatMap((backend) => {
    const s = report.backends[backend];
    return s ? [{ backend, s }] : [];
  });
  return [
    ...baselineRows,
    ...merge(sections.map(({ backend, s }) => floorRows(backend, s.floor))),
    ...merge(sections.map(({ backend, s }) => conflictRows(backend, s.conflict))),
    ...merge(sections.map(({ backend, s }) => startRows(backend, s.start))),
    ...merge(sections.map(({ backend, s }) => loopRows(backend, s.loop, baseline1))),
    ...idleRows(report.idle),
  ];
}

type Column = { title: string; numeric: boolean; cell: (spec: RowSpec) => string };

/** The ratio of the first backend's figure to the second's (e.g. memory ÷ azurite). */
function backendRatio(spec: RowSpec, a: Backend, b: Backend): string {
  const x = spec.cells[a]?.value;
  const y = spec.cells[b]?.value;
  if (x === undefined || y === undefined || y <= 0) return '';
  return `${times(x / y)}${spec.ratioOf ? ` (${spec.ratioOf})` : ''}`;
}

/** The backends' values of one cell, "memory / azurite"; one value when they agree (status codes) or only one ran. */
function paired(
  backends: Backend[],
  spec: RowSpec,
  pick: (cells: Cells) => string | undefined,
  collapse = false,
): string {
  const shown = spec.shared ? backends.slice(0, 1) : backends;
  const values = shown.map((b) => {
    const cells = spec.cells[b];
    return cells ? (pick(cells) ?? '') : '';
  });
  if (values.every((v) => v === '')) return '';
  if (collapse && values.every((v) => v === values[0])) return values[0] ?? '';
  return values.map((v) => (v === '' ? '–' : v)).join(' / ');
}

function columns(backends: Backend[]): Column[] {
  const [a, b] = backends;
  const pair =
    (pick: (cells: Cells) => string | undefined, collapse = false) =>
    (spec: RowSpec) =>
      paired(backends, spec, pick, collapse);
  return [
    { title: 'Path', numeric: false, cell: (spec) => spec.path },
    { title: 'Conc.', numeric: true, cell: (spec) => spec.conc },
    ...backends.map((backend) => ({
      title: backends.length > 1 ? backend : 'Figure',
      numeric: false,
      cell: (spec: RowSpec) => spec.cells[backend]?.figure ?? '',
    })),
    ...(a !== undefined && b !== undefined
      ? [{ title: `${a}/${b}`, numeric: true, cell: (spec: RowSpec) => backendRatio(spec, a, b) }]
      : []),
    { title: 'p50 ms', numeric: true, cell: pair((c) => c.p50) },
    { title: 'p99 ms', numeric: true, cell: pair((c) => c.p99) },
    { title: 'Server CPU µs/req', numeric: true, cell: pair((c) => c.cpu) },
    { title: 'CPU ÷ floor', numeric: true, cell: pair((c) => c.cpuVsFloor) },
    { title: 'vs SDK floor', numeric: true, cell: pair((c) => c.vsFloor) },
    { title: 'vs baseline', numeric: true, cell: pair((c) => c.vsBaseline) },
    { title: 'Status codes', numeric: false, cell: pair((c) => c.codes, true) },
    { title: 'Aim', numeric: false, cell: (spec) => spec.aim ?? '' },
    { title: 'Met', numeric: false, cell: (spec) => spec.met ?? '' },
  ];
}

/**
 * The table as Markdown, padded so it reads as well in a terminal as in the README. With two backends, a cell that
 * holds two values reads "memory / azurite" (in the run's backend order); the aims are the memory backend's.
 */
export function renderTable(report: BenchReport): string {
  const cols = columns(report.settings.backends.map((plan) => plan.backend));
  const body = rowSpecs(report).map((spec) => cols.map((c) => c.cell(spec)));
  const widths = cols.map((c, i) => Math.max(c.title.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, i) => (cols[i]?.numeric ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${cols.map((c, i) => (c.numeric ? `${'-'.repeat((widths[i] ?? 0) + 1)}:` : '-'.repeat((widths[i] ?? 0) + 2))).join('|')}|`;
  return [line(cols.map((c) => c.title)), rule, ...body.map(line)].join('\n');
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(ratio: number): string {
  if (ratio > 0 && ratio < 0.001) return `${(ratio * 100).toPrecision(1)} %`;
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)} %`;
}

/** A ratio as a factor: "12×", "1.6×", "0.45×". */
function times(ratio: number): string {
  const text = ratio >= 10 ? thousands(ratio) : ratio >= 1 ? ratio.toFixed(1) : ratio.toPrecision(2);
  return `${text}×`;
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
