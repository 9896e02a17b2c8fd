/**
 * The azurite backend as processes: `npm start -- --backend azurite` stops the host, its .NET host and Azurite on
 * SIGTERM or SIGINT with nothing left running; a PeriodicJob survives the loss of its host (SIGKILL) while the storage
 * lives on; and a clean stop with `--location DIR` keeps the singletons for the next start on that folder.
 * Runs only on the azurite backend (`npm run test:reference`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI_ENTRY, LocalHost } from 'durable-local-host';
import { startAzurite } from 'durable-local-host';
import type { Storage } from 'durable-local-host';
import { describeOnAzurite, freshId, raiseEvent, request, startSingle } from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';
import { descendants, isAlive, waitGone } from 'durable-local-host/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const FLAKY_JOB_APP = path.join(ROOT, 'test', 'fixtures', 'e2e', 'flaky-job-app');
// These scenarios are about the reference backend's processes and storage; the memory backend has neither.
const onAzurite = describeOnAzurite('the reference backend’s processes and storage');

interface Started {
  pid: number;
  port: number;
  exited: Promise<number | null>;
}

/** `durable-local-host --backend azurite --port 0 …`, resolved once it listens. */
async function startCli(extra: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, [CLI_ENTRY, '--backend', 'azurite', '--port', '0', '--no-func', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
  });
  return { pid: child.pid!, port, exited };
}

onAzurite('the azurite backend as processes', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops the host, the .NET host and Azurite on %s, leaving no process and a closed port',
    async (signal) => {
      const cli = await startCli();
      const tree = descendants(cli.pid);
      // Azurite and the .NET reference host run under the host.
      expect(tree.length).toBeGreaterThanOrEqual(2);
      expect((await fetch(`http://127.0.0.1:${cli.port}/api/orchestrators/Counter/x`)).status).toBe(404);

      process.kill(cli.pid, signal);
      expect(await cli.exited).toBe(0);
      await waitGone(tree);
      await expect(fetch(`http://127.0.0.1:${cli.port}/`)).rejects.toThrow();
    },
    240_000,
  );

  it('says what is missing and exits non-zero when dotnet is not on PATH', async () => {
    const child = spawn(
      process.execPath,
      [CLI_ENTRY, '--backend', 'azurite', '--port', '0', '--no-func'],
      // Node is started by its absolute path; PATH is an empty folder, so no dotnet is found.
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'no-dotnet-')) },
      },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(output).toContain('The azurite backend needs the .NET 10 SDK (dotnet on PATH)');
  });
});

onAzurite('failover: a PeriodicJob whose host dies (storage lives on)', () => {
  let storage: Storage | undefined;
  const hosts: LocalHost[] = [];
  beforeAll(async () => {
    storage = await startAzurite({ log: () => undefined });
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.dispose()));
    await storage?.stop();
  });

  it('continues its iterations on a new host, running each iteration once but the one in flight', async () => {
    const runs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'failover-')), 'runs.txt');
    const options = {
      appDir: FLAKY_JOB_APP,
      port: 0,
      clock: 'real' as const,
      storageConnectionString: storage!.connectionString,
    };
    const first = new LocalHost(options);
    hosts.push(first);
    await first.ready;
    const id = freshId('failover');
    const started = await startSingle(first, 'PeriodicJob', id, {
      intervalSeconds: 1,
      payload: { mode: 'record', file: runs },
    });
    expect(started.status).toBe(202);
    const iterationOf = (s: InstanceStatus): number =>
      (s.customStatus as { iteration?: number } | null)?.iteration ?? 0;
    await first.waitForStatus(id, (s) => iterationOf(s) >= 3, { timeoutMs: 60_000 });

    // The host process and its .NET host die at once, as a worker does: nothing is released or flushed.
    const killed = [first.pid!, ...descendants(first.pid!)];
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    await waitGone(killed);
    const before = fs.readFileSync(runs, 'utf8').trim().split('\n').map(Number);

    const second = new LocalHost(options);
    hosts.push(second);
    await second.ready;
    const lastBefore = Math.max(...before);
    // The dead worker's partition lease has to expire before the new one owns the task hub.
    const resumed = await second.waitForStatus(id, (s) => iterationOf(s) >= lastBefore + 3, { timeoutMs: 240_000 });
    expect(resumed.runtimeStatus).toBe('Running');
    expect(resumed.instanceId).toBe(id);

    const all = fs.readFileSync(runs, 'utf8').trim().split('\n').map(Number);
    const counts = new Map<number, number>();
    for (const n of all) counts.set(n, (counts.get(n) ?? 0) + 1);
    const iterations = [...counts.keys()].sort((a, b) => a - b);
    // No iteration skipped…
    expect(iterations).toEqual(Array.from({ length: iterations.length }, (_, i) => i + 1));
    // …and at most the iteration in flight at the kill ran twice (the provider delivers activities at least once).
    const repeated = [...counts].filter(([, n]) => n > 1);
    process.stdout.write(
      `failover: ${all.length} runs of ${iterations.length} iterations; repeated: ${JSON.stringify(repeated)}\n`,
    );
    expect(repeated.length).toBeLessThanOrEqual(1);
    expect(repeated.every(([iteration, n]) => n === 2 && iteration >= lastBefore)).toBe(true);
  }, 420_000);
});

onAzurite('restart on a kept folder (--location)', () => {
  it('continues a running Counter after a clean stop of everything', async () => {
    const location = fs.mkdtempSync(path.join(os.tmpdir(), 'azurite-kept-'));
    const id = freshId('kept');
    const first = new LocalHost({ port: 0, clock: 'real', location });
    try {
      await first.ready;
      const payload = (await startSingle(first, 'Counter', id)).body as ManagementPayload;
      await first.waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 30_000 });
      expect((await raiseEvent(payload, 'incr', 2)).status).toBe(202);
      await first.waitForStatus(id, (s) => (s.customStatus as { value?: number } | null)?.value === 2, {
        timeoutMs: 30_000,
      });
    } finally {
      await first.dispose();
    }
    expect(first.pid === undefined || !isAlive(first.pid)).toBe(true);

    const second = new LocalHost({ port: 0, clock: 'real', location });
    try {
      await second.ready;
      const status = await request<InstanceStatus>(`${second.url}/api/orchestrators/Counter/${id}`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ runtimeStatus: 'Running', customStatus: { value: 2 } });
      const events = `${second.url}/runtime/webhooks/durabletask/instances/${id}/raiseEvent/incr`;
      expect(
        (await request(events, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '1' })).status,
      ).toBe(202);
      await second.waitForStatus(id, (s) => (s.customStatus as { value?: number } | null)?.value === 3, {
        timeoutMs: 30_000,
      });
    } finally {
      await second.dispose();
    }
  }, 300_000);
});
