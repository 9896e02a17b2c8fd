/**
 * `npm start` under a process manager: the manager signals npm only. npm runs the host under `sh -c`, so the signal
 * never reaches the host itself; it must notice that its parent went away and stop.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  childPidsOf,
  collectOutput,
  exitCode,
  isAlive,
  portAccepts,
  waitForOutput,
  waitUntil,
} from 'durable-local-host/testing';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('npm start and SIGTERM', () => {
  const started: number[] = [];

  afterEach(() => {
    for (const pid of started.splice(0)) {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('stops the host, closes its port and leaves no process when only the npm process is signalled', async () => {
    // --ignore-scripts: run the start script alone, without prestart rebuilding dist/ under the other tests.
    const npm = spawn('npm', ['start', '--ignore-scripts', '--', '--port', '0', '--no-func', '--app-dir', REPO_ROOT], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const npmPid = npm.pid ?? 0;
    started.push(npmPid);
    const output = collectOutput(npm);
    const match = await waitForOutput(
      npm,
      output,
      /listening on http:\/\/localhost:(\d+) \(bound to 127\.0\.0\.1, pid (\d+)\)/,
    );
    const port = Number(match[1]);
    const hostPid = Number(match[2]);
    started.push(hostPid);
    const between = childPidsOf(npmPid).filter((pid) => pid !== hostPid);
    started.push(...between);
    expect(await portAccepts(port)).toBe(true);

    npm.kill('SIGTERM');
    await exitCode(npm);

    await waitUntil(async () => !(await portAccepts(port)));
    await waitUntil(() => !isAlive(hostPid));
    expect([npmPid, hostPid, ...between].filter(isAlive)).toEqual([]);
    expect(output.text()).toContain('The parent process exited: shutting down');
  });
});
