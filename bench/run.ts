/**
 * `npm run bench`: measures, in one run and on one machine, the bare node:http ceiling, the SDK floor and each path
 * of the singleton starter and the durable engine, on each durable backend asked for (the emulator, the real
 * extension on Azurite, or both side by side), prints one table and writes it as JSON so runs can be compared. See
 * the Benchmarks section of README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withAppHost } from './app-host';
import { measureBaseline } from './baseline';
import { measureConflict } from './conflict';
import { floorAppDir, measureFloor } from './floor';
import { measureIdle } from './idle';
import type { LoadFigures } from './load';
import { measureLoop } from './loop';
import { describeMachine, machineInfo } from './machine';
import { parseOptions, usage, type BackendPlan, type BenchOptions } from './options';
import {
  evaluateAims,
  isFailure,
  renderTable,
  type BackendSections,
  type BenchReport,
  type SectionFailure,
} from './report';
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

/** The SDK floor, the conflict and start paths and the eternal loop on one backend; every host is stopped after. */
async function measureBackend(
  plan: BackendPlan,
  options: BenchOptions,
  repoRoot: string,
  baseline: LoadFigures[] | undefined,
): Promise<BackendSections> {
  const { backend } = plan;
  const hostOptions = (appDir: string, label: string) => ({
    appDir,
    backend,
    cpuProfileDir: options.cpuProfileDir,
    label: `${label}-${backend}`,
  });
  const floor = await section(`${backend}: SDK floor`, () =>
    withAppHost(hostOptions(floorAppDir(repoRoot), 'floor-host'), (host) =>
      measureFloor(host, options, plan, baseline),
    ),
  );
  const references = { baseline, floor: isFailure(floor) ? undefined : floor.points };

  const app = await section(`${backend}: local host with the app`, () =>
    withAppHost(hostOptions(repoRoot, 'app-host'), async (host) => ({
      conflict: await section(`${backend}: conflict path (409)`, () =>
        measureConflict(host, options, plan, references),
      ),
      start: await section(`${backend}: start path (202)`, () => measureStart(host, options, plan, references)),
    })),
  );
  const { conflict, start } = isFailure(app) ? { conflict: app, start: app } : app;
  const loop = await section(`${backend}: eternal loop`, () => measureLoop(options, plan, repoRoot));
  return { floor, conflict, start, loop };
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const options = parseOptions(process.argv.slice(2), repoRoot);
  const backends = options.backends.map((plan) => plan.backend);
  const machine = machineInfo(backends.includes('azurite'));
  const loadAtStart = os.loadavg()[0] ?? 0;
  progress(
    `${describeMachine(machine)}; backends ${backends.join(', ')}; ${options.durationSeconds} s per load point${options.quick ? ' (quick)' : ''}`,
  );

  const baseline = await section('baseline: bare node:http', () => measureBaseline(options));
  const baselinePoints = isFailure(baseline) ? undefined : baseline.points;

  const measured: BenchReport['backends'] = {};
  for (const plan of options.backends) {
    measured[plan.backend] = await measureBackend(plan, options, repoRoot, baselinePoints);
  }
  const idle = backends.includes('memory')
    ? await section('memory: idle singletons', () => measureIdle(options, repoRoot))
    : undefined;

  const partial: Omit<BenchReport, 'aims'> = {
    schemaVersion: 2,
    date: new Date().toISOString(),
    machine,
    loadAverage: { atStart: round(loadAtStart, 2), atEnd: round(os.loadavg()[0] ?? 0, 2) },
    settings: {
      quick: options.quick,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      backends: options.backends,
      idleInstances: options.idleInstances,
    },
    baseline,
    backends: measured,
    ...(idle === undefined ? {} : { idle }),
  };
  const report: BenchReport = { ...partial, aims: evaluateAims(partial) };

  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);

  console.log(`\n${renderTable(report)}\n`);
  console.log(
    `Machine: ${describeMachine(machine)}; backends ${backends.join(', ')}; ${options.durationSeconds} s per load point; ` +
      `load average ${report.loadAverage.atStart} → ${report.loadAverage.atEnd}; ${report.date}`,
  );
  for (const aim of report.aims)
    console.log(`${aim.met ? 'met    ' : 'MISSED '} ${aim.name}: ${aim.actual} (aim ${aim.target})`);
  console.log(`Results: ${options.out}`);

  const sections = [
    baseline,
    ...Object.values(measured).flatMap((s) => [s.floor, s.conflict, s.start, s.loop]),
    ...(idle ? [idle] : []),
  ];
  const failed = sections.filter(isFailure);
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
