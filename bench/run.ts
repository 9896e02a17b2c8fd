/**
 * `npm run bench`: measures, in one run and on one machine, the bare node:http ceiling and each path of the
 * singleton starter and the durable engine against it, prints one table and writes it as JSON so runs can be
 * compared. See the Benchmarks section of README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAppHost } from './app-host';
import { measureBaseline } from './baseline';
import { measureConflict } from './conflict';
import { measureIdle } from './idle';
import { measureLoop } from './loop';
import { describeMachine, machineInfo } from './machine';
import { parseOptions, usage } from './options';
import { evaluateAims, isFailure, renderTable, type BenchReport, type SectionFailure } from './report';
import { measureStart } from './start';
import { round } from './stats';

function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs one section; a failure is recorded in the report (and fails the run) instead of hiding the other figures. */
async function section<T extends object>(name: string, measure: () => Promise<T>): Promise<T | SectionFailure> {
  progress(`${name}…`);
  try {
    return await measure();
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    progress(`${name} failed: ${error.stack ?? error.message}`);
    return { error: error.message };
  }
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const options = parseOptions(process.argv.slice(2), repoRoot);
  const machine = machineInfo();
  const loadAtStart = os.loadavg()[0] ?? 0;
  progress(
    `${describeMachine(machine)}; ${options.durationSeconds} s per load point${options.quick ? ' (quick)' : ''}`,
  );

  const baseline = await section('baseline: bare node:http', () => measureBaseline(options));
  const baselinePoints = isFailure(baseline) ? undefined : baseline.points;

  let conflict: BenchReport['conflict'];
  let start: BenchReport['start'];
  const host = await section('local host with the app', () => openAppHost(repoRoot, options.cpuProfileDir));
  if (isFailure(host)) {
    conflict = host;
    start = host;
  } else {
    try {
      conflict = await section('conflict path (409)', () => measureConflict(host, options, baselinePoints));
      start = await section('start path (202)', () => measureStart(host, options, baselinePoints));
    } finally {
      await host.dispose();
    }
  }
  const loop = await section('eternal loop', () => measureLoop(options, repoRoot));
  const idle = await section('idle singletons', () => measureIdle(options, repoRoot));

  const partial: Omit<BenchReport, 'aims'> = {
    schemaVersion: 1,
    date: new Date().toISOString(),
    machine,
    loadAverage: { atStart: round(loadAtStart, 2), atEnd: round(os.loadavg()[0] ?? 0, 2) },
    settings: {
      quick: options.quick,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      runningDelaySamples: options.runningDelaySamples,
      loopCheckpoints: options.loopCheckpoints,
      idleInstances: options.idleInstances,
    },
    baseline,
    conflict,
    start,
    loop,
    idle,
  };
  const report: BenchReport = { ...partial, aims: evaluateAims(partial) };

  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);

  console.log(`\n${renderTable(report)}\n`);
  console.log(
    `Machine: ${describeMachine(machine)}; ${options.durationSeconds} s per load point; ` +
      `load average ${report.loadAverage.atStart} → ${report.loadAverage.atEnd}; ${report.date}`,
  );
  for (const aim of report.aims)
    console.log(`${aim.met ? 'met    ' : 'MISSED '} ${aim.name}: ${aim.actual} (aim ${aim.target})`);
  console.log(`Results: ${options.out}`);

  const failed = [baseline, conflict, start, loop, idle].filter(isFailure);
  if (failed.length > 0) {
    progress(`${failed.length} section(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error(usage);
  process.exitCode = 2;
});
