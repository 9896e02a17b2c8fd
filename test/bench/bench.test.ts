/**
 * Smoke run of `npm run bench` with tiny durations, so the benchmark cannot rot: every section must produce numeric
 * figures and the functional checks (all 409 on the conflict path, all 202 on the start path) must hold. Nothing here
 * asserts speed.
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

describe('bench/run (quick)', () => {
  let dir: string;
  let report: any;
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
  }, 180_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the machine and the settings of the run', () => {
    expect(report.schemaVersion).toBe(1);
    expect(typeof report.machine.cpuModel).toBe('string');
    expectNumber(report.machine.cores);
    expect(report.machine.nodeVersion).toBe(process.version);
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.settings.quick).toBe(true);
  });

  it('measures the baseline at concurrency 1, 16 and 64', () => {
    expect(report.baseline.points.map((p: any) => p.connections)).toEqual([1, 16, 64]);
    report.baseline.points.forEach(expectLoadPoint);
  });

  it('measures the conflict path with every response a 409 and a ratio to the baseline', () => {
    expect(report.conflict.points.map((p: any) => p.connections)).toEqual([1, 16, 64]);
    for (const point of report.conflict.points) {
      expectLoadPoint(point);
      expect(point.statusCodes).toEqual({ 409: point.requests });
      expect(point.allConflict).toBe(true);
      expectNumber(point.ratioToBaseline);
    }
  });

  it('measures the start path with every response a 202, and the delay until Running', () => {
    expect(report.start.points.map((p: any) => p.connections)).toEqual([16, 64]);
    for (const point of report.start.points) {
      expectLoadPoint(point);
      expect(point.statusCodes).toEqual({ 202: point.requests });
      expectNumber(point.startsPerSecond);
      expectNumber(point.ratioToBaseline);
    }
    expect(report.start.runningDelay.samples).toBe(report.settings.runningDelaySamples);
    expect(report.start.runningDelay.timedOut).toBe(0);
    expectNumber(report.start.runningDelay.p50Ms);
    expectNumber(report.start.runningDelay.p99Ms);
  });

  it('runs the eternal loop to every checkpoint and reads memory at each', () => {
    expectNumber(report.loop.iterationsPerSecond);
    expectMemory(report.loop.beforeStart);
    expect(report.loop.checkpoints.map((c: any) => c.target)).toEqual(report.settings.loopCheckpoints);
    for (const checkpoint of report.loop.checkpoints) {
      expect(checkpoint.iterations).toBeGreaterThanOrEqual(checkpoint.target);
      expectMemory(checkpoint.memory);
    }
    expect(typeof report.loop.flat).toBe('boolean');
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
    expect(stdout).toContain('conflict 409');
    expect(stdout).toContain('idle singletons');
  });
});
