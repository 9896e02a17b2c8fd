/**
 * The local host serves apps other than this repository's: the quickstart fixture, a durable-functions 3 app written
 * the way Microsoft's quickstarts write one (plain CommonJS, an HTTP starter, function chaining, fan-out/fan-in, a
 * counter entity, a durable timer), run through the `durable-local-host` bin on whichever backend
 * `LOCAL_HOST_BACKEND` names and driven over real HTTP: start with the starter, follow `statusQueryGetUri` until the
 * instance completes, check the output.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { defaultBackend } from '../../src/api';
import { CLI_ENTRY } from '../../src/layout';
import {
  collectOutput,
  descendants,
  exitCode,
  isAlive,
  portAccepts,
  waitForOutput,
  waitUntil,
} from '../../src/processes';

const APP = path.resolve(__dirname, '..', 'fixtures', 'apps', 'quickstart');
const BACKEND = defaultBackend();
// The azurite backend starts Azurite and the .NET reference host (and builds it on first use).
const START_TIMEOUT = BACKEND === 'azurite' ? 240_000 : 60_000;
const TEST_TIMEOUT = BACKEND === 'azurite' ? 120_000 : 30_000;

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
}

interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
}

let child: ChildProcess | undefined;
let output: { text(): string } = { text: () => '' };
let base = '';

beforeAll(async () => {
  const started = spawn(
    process.execPath,
    [CLI_ENTRY, '--app-dir', APP, '--port', '0', '--no-func', '--backend', BACKEND],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = started;
  output = collectOutput(started);
  const [, port] = await waitForOutput(started, output, /listening on http:\/\/localhost:(\d+)/);
  base = `http://127.0.0.1:${port}`;
}, START_TIMEOUT);

afterAll(async () => {
  // Only if a test failed before the last one stopped it.
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await exitCode(child);
  }
}, START_TIMEOUT);

async function startOrchestration(name: string, input?: unknown): Promise<CheckStatus> {
  const init: RequestInit = { method: 'POST' };
  if (input !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(input);
  }
  const res = await fetch(`${base}/api/orchestrators/${name}`, init);
  const body = (await res.json()) as CheckStatus;
  expect(res.status).toBe(202);
  expect(res.headers.get('location')).toBe(body.statusQueryGetUri);
  // The management URLs are built on the front door the request came in through.
  expect(new URL(body.statusQueryGetUri).origin).toBe(base);
  return body;
}

/** Follows `statusQueryGetUri` (202 while the instance runs, 200 once it has ended) until the instance ends. */
async function followUntilDone(check: CheckStatus): Promise<Status> {
  for (;;) {
    const res = await fetch(check.statusQueryGetUri);
    const status = (await res.json()) as Status;
    if (!['Pending', 'Running'].includes(status.runtimeStatus)) {
      expect(res.status).toBe(200);
      return status;
    }
    expect(res.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readCounter(key: string): Promise<{ entityExists: boolean; value: number | null }> {
  const res = await fetch(`${base}/api/counters/${key}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { entityExists: boolean; value: number | null };
}

async function signalCounter(key: string, operation: string, input?: number): Promise<void> {
  const init: RequestInit = { method: 'POST' };
  if (input !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(input);
  }
  const res = await fetch(`${base}/api/counters/${key}/${operation}`, init);
  expect(res.status).toBe(202);
}

/** Reads the counter until it holds `value`: a signal is processed after the request that sent it has returned. */
async function counterReaches(key: string, value: number): Promise<void> {
  await waitUntil(async () => (await readCounter(key)).value === value);
}

describe(`the quickstart app through the bin (${BACKEND} backend)`, () => {
  it(
    'lists the quickstart functions at start-up',
    () => {
      for (const name of [
        'HttpStart: [POST] http://localhost:',
        'CounterSignal: [POST] http://localhost:',
        'CounterRead: [GET] http://localhost:',
        'HelloSequence: orchestrationTrigger',
        'Hello: activityTrigger',
        'Counter: entityTrigger',
      ]) {
        expect(output.text()).toContain(name);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'chains three activity calls into an array of greetings',
    async () => {
      const check = await startOrchestration('HelloSequence');
      const status = await followUntilDone(check);
      expect(status).toMatchObject({ name: 'HelloSequence', instanceId: check.id, runtimeStatus: 'Completed' });
      expect(status.output).toEqual(['Hello, Tokyo!', 'Hello, Seattle!', 'Hello, London!']);
    },
    TEST_TIMEOUT,
  );

  it(
    'fans out one activity call per work item and sums the results',
    async () => {
      const check = await startOrchestration('FanOutFanIn', 10);
      const status = await followUntilDone(check);
      expect(status).toMatchObject({ runtimeStatus: 'Completed', input: 10 });
      // 1² + 2² + … + 10²
      expect(status.output).toEqual({ items: 10, sum: 385 });
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps a counter entity: signalled over HTTP, read by the client, called from an orchestration',
    async () => {
      const key = `quickstart-${process.pid}`;
      expect(await readCounter(key)).toEqual({ entityExists: false, value: null });

      await signalCounter(key, 'add', 5);
      await signalCounter(key, 'add', 3);
      await counterReaches(key, 8);
      expect(await readCounter(key)).toEqual({ entityExists: true, value: 8 });

      const status = await followUntilDone(await startOrchestration('CounterOrchestration', { key, amount: 2 }));
      expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 10 });
      expect(await readCounter(key)).toEqual({ entityExists: true, value: 10 });

      await signalCounter(key, 'reset');
      await counterReaches(key, 0);
    },
    TEST_TIMEOUT,
  );

  it(
    'waits on a durable timer for its duration before completing',
    async () => {
      const check = await startOrchestration('Countdown', 2);
      const status = await followUntilDone(check);
      expect(status.runtimeStatus).toBe('Completed');
      const result = status.output as { seconds: number; startedAt: string; firedAt: string };
      expect(result.seconds).toBe(2);
      const startedAt = Date.parse(result.startedAt);

      // The timer was set for its duration after the orchestration's start time.
      const withHistory = await fetch(`${check.statusQueryGetUri}&showHistory=true`);
      const events = ((await withHistory.json()) as { historyEvents: Array<{ EventType: string; FireAt?: string }> })
        .historyEvents;
      const created = events.find((e) => e.EventType === 'TimerCreated');
      expect(Date.parse(created!.FireAt!) - startedAt).toBe(2000);
      expect(events.some((e) => e.EventType === 'TimerFired')).toBe(true);

      // Orchestration time: the episode after the timer fired runs at or after the time the timer was set for. On the
      // Azure Storage provider the timer is a queue message whose visibility delay goes out in whole seconds,
      // truncated, so the real extension can resume the orchestration up to a second before the fire time.
      const earliness = BACKEND === 'azurite' ? 1000 : 0;
      expect(Date.parse(result.firedAt) - startedAt).toBeGreaterThanOrEqual(2000 - earliness);
    },
    TEST_TIMEOUT,
  );

  it(
    'stops on SIGTERM with exit code 0, leaving no process and a closed port',
    async () => {
      const running = child!;
      const port = Number(new URL(base).port);
      const tree = descendants(running.pid!);
      // On the azurite backend, Azurite and the .NET reference host run under the host.
      if (BACKEND === 'azurite') expect(tree.length).toBeGreaterThanOrEqual(2);
      running.kill('SIGTERM');
      expect(await exitCode(running)).toBe(0);
      await waitUntil(() => tree.every((pid) => !isAlive(pid)));
      expect(await portAccepts(port)).toBe(false);
    },
    TEST_TIMEOUT,
  );
});
