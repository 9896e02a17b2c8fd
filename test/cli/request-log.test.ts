/**
 * What `npm start` prints while the app serves: one line per request (method, path, status, duration, instance),
 * orchestrator and activity lines that name their instance, and management-API calls.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CLI_ENTRY } from 'durable-local-host';
import { collectOutput, exitCode, waitForOutput } from 'durable-local-host/testing';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const START = CLI_ENTRY;

describe('npm start request log', () => {
  let child: ChildProcess;
  let output: { text(): string };
  let url: string;

  beforeAll(async () => {
    child = spawn(process.execPath, [START, '--port', '0', '--no-func', '--app-dir', REPO_ROOT], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output = collectOutput(child);
    const match = await waitForOutput(child, output, /listening on (http:\/\/localhost:\d+)/);
    url = (match[1] ?? '').replace('localhost', '127.0.0.1');
  });

  afterAll(async () => {
    child.kill('SIGTERM');
    await exitCode(child);
  });

  const line = (pattern: string): Promise<RegExpExecArray> =>
    waitForOutput(child, output, new RegExp(`\\] ${pattern}\\n`));

  it('logs each app request with its status and instance, a 409 included', async () => {
    expect((await fetch(`${url}/api/orchestrators/Counter/log-c1`, { method: 'POST' })).status).toBe(202);
    await line('POST /api/orchestrators/Counter/log-c1 202 \\d+ms instance=log-c1');
    expect((await fetch(`${url}/api/orchestrators/Counter/log-c1`, { method: 'POST' })).status).toBe(409);
    await line('POST /api/orchestrators/Counter/log-c1 409 \\d+ms instance=log-c1');
    expect((await fetch(`${url}/api/orchestrators/Nope/x`)).status).toBe(404);
    await line('GET /api/orchestrators/Nope/x 404 \\d+ms instance=x');
    expect(output.text()).not.toContain("Executed 'Functions.HttpStartSingle'");
  });

  it('names the instance in orchestrator and activity lines', async () => {
    await fetch(`${url}/api/orchestrators/PeriodicJob/log-j1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"intervalSeconds": 3600}',
    });
    await line(
      "Executed 'Functions.PeriodicJob' \\(Succeeded, InstanceId=log-j1, Id=[0-9a-f-]{36}, Duration=\\d+ms\\)",
    );
    await line("Executed 'Functions.RunJob' \\(Succeeded, InstanceId=log-j1, Id=[0-9a-f-]{36}, Duration=\\d+ms\\)");
  });

  it('logs management-API calls with the instance they address', async () => {
    const status = await fetch(`${url}/runtime/webhooks/durabletask/instances/log-c1`);
    expect(status.status).toBe(202);
    await line('GET /runtime/webhooks/durabletask/instances/log-c1 202 \\d+ms instance=log-c1');
    const raised = await fetch(`${url}/runtime/webhooks/durabletask/instances/log-c1/raiseEvent/incr`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '1',
    });
    expect(raised.status).toBe(202);
    await line('POST /runtime/webhooks/durabletask/instances/log-c1/raiseEvent/incr 202 \\d+ms instance=log-c1');
  });
});
