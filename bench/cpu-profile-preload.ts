/**
 * CPU profiling of a process whose command line the benchmark does not control (the local host's own child, which
 * `createLocalHost` forks): loaded with `NODE_OPTIONS=--require …` (Node 20 refuses `--cpu-prof` there), it starts
 * the V8 profiler at once and writes `<BENCH_CPU_PROFILE_DIR>/<name>-<pid>.cpuprofile` when the process exits.
 * The in-process inspector session answers synchronously, so the profile is complete even on `process.exit()`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const name = process.env.BENCH_CPU_PROFILE_NAME ?? 'process';
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
