/**
 * Smoke run of `npm run bench` with tiny durations, so the benchmark cannot rot: every section must produce numeric
 * figures and the functional checks (all 200 from the SDK floor, all 409 on the conflict path, all 202 on the start
 * path) must hold. A quick run measures the memory backend only. Nothing here asserts speed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..');

function expectNumber(value: unknown): void {
  expect(typeof value).toBe('number');
  expect(Number.isFinite(value)).toBe(true);
}

function expectMemory(memory: any): void {
  for (const key of ['rssBytes', 'heapUsedBytes', 'heapTotalBytes', 'externalBytes']) {
    expectNumber(memory[key]);
    expect(memory[key]).toBeGreaterThanOrEqual(0);
  }
  expect(memory.afterGc).toBe(true);
}

function expectLoadPoint(point: any): void {
  for (const key of ['connections', 'requests', 'requestsPerSecond', 'p50Ms', 'p99Ms', 'elapsedSeconds']) {
    expectNumber(point[key]);
  }
  expect(point.requests).toBeGreaterThan(0);
  expect(point.errors).toBe(0);
}

/** Load points at these concurrency levels, every response `status`, with `flag` set and ratios to these references. */
function expectAnswered(points: any[], levels: number[], status: number, flag: string, ratios: string[]): void {
  expect(points.map((p: any) => p.connections)).toEqual(levels);
  for (const point of points) {
    expectLoadPoint(point);
    expect(point.statusCodes).toEqual({ [status]: point.requests });
    expect(point[flag]).toBe(true);
    for (const ratio of ratios) expectNumber(point[ratio]);
  }
}

describe('bench/run (quick)', () => {
  let dir: string;
  let report: any;
  let memory: any;
  let stdout: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const out = path.join(dir, 'results.json');
    const result = await run(
      process.execPath,
      [path.join(repoRoot, 'dist', 'bench', 'run.js'), '--quick', '--out', out],
      {
        cwd: repoRoot,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    stdout = result.stdout;
    report = JSON.parse(readFileSync(out, 'utf8'));
    memory = report.backends.memory;
  }, 180_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the machine and the settings of the run', () => {
    expect(report.schemaVersion).toBe(2);
    expect(typeof report.machine.cpuModel).toBe('string');
    expectNumber(report.machine.cores);
    expect(report.machine.nodeVersion).toBe(process.version);
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.settings.quick).toBe(true);
    expect(report.settings.backends.map((plan: any) => plan.backend)).toEqual(['memory']);
    expect(Object.keys(report.backends)).toEqual(['memory']);
  });

  it('measures the baseline at concurrency 1, 16 and 64', () => {
    expect(report.baseline.points.map((p: any) => p.connections)).toEqual([1, 16, 64]);
    report.baseline.points.forEach(expectLoadPoint);
  });

  it('measures the SDK floor with every response a 200 and a ratio to the baseline', () => {
    expectAnswered(memory.floor.points, [1, 16, 64], 200, 'allOk', ['ratioToBaseline']);
  });

  it('measures the conflict path with every response a 409 and ratios to the baseline and the SDK floor', () => {
    expectAnswered(memory.conflict.points, [1, 16, 64], 409, 'allConflict', ['ratioToBaseline', 'ratioToFloor']);
  });

  it('measures the start path with every response a 202, and the delay until Running', () => {
    expectAnswered(memory.start.points, [16, 64], 202, 'allAccepted', [
      'startsPerSecond',
      'ratioToBaseline',
      'ratioToFloor',
    ]);
    expect(memory.start.runningDelay.samples).toBe(report.settings.backends[0].runningDelaySamples);
    expect(memory.start.runningDelay.timedOut).toBe(0);
    expectNumber(memory.start.runningDelay.p50Ms);
    expectNumber(memory.start.runningDelay.p99Ms);
  });

  it('runs the eternal loop to every checkpoint and reads memory at each', () => {
    expectNumber(memory.loop.iterationsPerSecond);
    expectMemory(memory.loop.beforeStart);
    expect(memory.loop.checkpoints.map((c: any) => c.target)).toEqual(report.settings.backends[0].loopCheckpoints);
    for (const checkpoint of memory.loop.checkpoints) {
      expect(checkpoint.iterations).toBeGreaterThanOrEqual(checkpoint.target);
      expectMemory(checkpoint.memory);
    }
    expect(typeof memory.loop.flat).toBe('boolean');
  });

  it('leaves every idle singleton Running and reports memory per instance', () => {
    expect(report.idle.running).toBe(report.settings.idleInstances);
    expectMemory(report.idle.before);
    expectMemory(report.idle.after);
    expectNumber(report.idle.bytesPerInstance.heapUsed);
    expectNumber(report.idle.bytesPerInstance.rss);
  });

  it('evaluates the aims and prints one table', () => {
    expect(report.aims.length).toBeGreaterThanOrEqual(7);
    for (const aim of report.aims) expect(typeof aim.met).toBe('boolean');
    expect(stdout).toContain('| Path');
    expect(stdout).toContain('SDK floor');
    expect(stdout).toContain('conflict 409');
    expect(stdout).toContain('idle singletons');
  });
});
