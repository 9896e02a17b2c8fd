/**
 * Fidelity scenarios: what the Durable extension answers, observed on the reference backend (the real extension
 * 3.19.0 on Azurite) and held against the emulator. Each scenario runs on whichever backend this run uses
 * (`LOCAL_HOST_BACKEND`); where the emulator differs on purpose, `onMemory` names what it does instead and
 * docs/fidelity.md says why. Real clock, real HTTP, the conformance fixture app.
 */
import path from 'node:path';
import type { LocalHost } from '../../src/api';
import { defaultBackend } from '../../src/api';
import { useLocalHost } from '../../src/testing';

const APP = path.resolve(__dirname, '..', 'fixtures', 'apps', 'durable-conformance');
const W = '/runtime/webhooks/durabletask';
const host = useLocalHost({ appDir: APP, clock: 'real', port: 0 });

/** The answer this backend gives: the real extension's, or the emulator's documented difference. */
const BACKEND = defaultBackend();

const onMemory = <T>(real: T, emulator: T): T => (BACKEND === 'memory' ? emulator : real);

let sequence = 0;
const freshId = (prefix: string): string => `${prefix}-${process.pid}-${++sequence}`;

async function call(
  h: LocalHost,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await h.dispatch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    // plain text stays text
  }
  return { status: res.status, body: parsed };
}

const start = (h: LocalHost, name: string, id: string, input?: unknown) =>
  call(h, 'POST', `${W}/orchestrators/${name}/${id}`, input);
const raise = (h: LocalHost, id: string, event: string, data: unknown) =>
  call(h, 'POST', `${W}/instances/${id}/raiseEvent/${event}`, data ?? null);
const running = (h: LocalHost, id: string) =>
  h.waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 30_000 });
const finished = (h: LocalHost, id: string) =>
  h.waitForStatus(id, (s) => ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus), { timeoutMs: 30_000 });

/** Waits until the instance's current execution has received `count` external events. */
async function eventuallyInHistory(id: string, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await call(host(), 'GET', `${W}/instances/${id}?showHistory=true`);
    const events = (res.body as { historyEvents?: Array<{ EventType: string }> }).historyEvents ?? [];
    if (events.filter((e) => e.EventType === 'EventRaised').length >= count) return;
    if (Date.now() > deadline) throw new Error(`${id}: ${count} events did not reach the history`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startRunning(name: string, input?: unknown): Promise<string> {
  const id = freshId(name.toLowerCase());
  expect((await start(host(), name, id, input)).status).toBe(202);
  await running(host(), id);
  return id;
}

describe('duplicate starts', () => {
  it('refuses a start of an active instance with 409 and the status in Message', async () => {
    const id = freshId('dup');
    expect((await start(host(), 'WaitEvent', id)).status).toBe(202);
    const again = await start(host(), 'WaitEvent', id);
    expect(again.status).toBe(409);
    // Pending while the first episode has not run yet, Running after it.
    expect(again.body).toEqual({
      Message: expect.stringMatching(/^An Orchestration instance with the status (Pending|Running) already exists\.$/),
    });
    await running(host(), id);
    expect((await start(host(), 'WaitEvent', id)).body).toEqual({
      Message: 'An Orchestration instance with the status Running already exists.',
    });
  });

  it('runs exactly one execution under 50 concurrent management-API starts of a Completed ID', async () => {
    const id = freshId('restart-race');
    expect((await start(host(), 'WaitEvent', id, -1)).status).toBe(202);
    await running(host(), id);
    await raise(host(), id, 'Go', 'first');
    await finished(host(), id);

    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => start(host(), 'WaitEvent', id, i)));
    const accepted = answers.flatMap((a, i) => (a.status === 202 ? [i] : []));
    expect(answers.every((a) => a.status === 202 || a.status === 409)).toBe(true);
    // The provider may accept several (observed: 6 of 50), and so does the emulator: the dedupe check is a read and a
    // lost record write is ignored. Either way one execution runs, and it is one of the accepted starts.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    const now = await running(host(), id);
    expect(accepted).toContain(now.input);
    const history = await call(host(), 'GET', `${W}/instances/${id}?showHistory=true`);
    const events = (history.body as { historyEvents: Array<{ EventType: string }> }).historyEvents;
    expect(events.filter((e) => e.EventType === 'ExecutionStarted')).toHaveLength(1);
  });
});

describe('management API answers', () => {
  it('answers 404 with no body for the status of an unknown instance, and for events, terminate and suspend on it', async () => {
    for (const [method, url] of [
      ['GET', `${W}/instances/nobody`],
      ['POST', `${W}/instances/nobody/raiseEvent/Go`],
      ['POST', `${W}/instances/nobody/terminate?reason=x`],
      ['POST', `${W}/instances/nobody/suspend?reason=x`],
    ] as const) {
      const res = await call(host(), method, url, method === 'POST' ? 1 : undefined);
      expect([url, res.status, res.body]).toEqual([url, 404, undefined]);
    }
  });

  it('answers 410 to events, terminate, suspend and resume of a completed instance, and 412 to its rewind', async () => {
    const id = await startRunning('WaitEvent');
    await raise(host(), id, 'Go', 5);
    expect((await finished(host(), id)).output).toBe(5);
    for (const op of ['raiseEvent/Go', 'terminate?reason=x', 'suspend?reason=x', 'resume?reason=x']) {
      expect([op, (await call(host(), 'POST', `${W}/instances/${id}/${op}`, 1)).status]).toEqual([op, 410]);
    }
    const rewind = await call(host(), 'POST', `${W}/instances/${id}/rewind?reason=x`);
    expect(rewind).toEqual({
      status: 412,
      body: 'This orchestration has status Completed, but only orchestrations in the "Failed" state can be rewound.',
    });
  });

  it('refuses suspending a Suspended instance and resuming a Running one with 500, and keeps the reason as output', async () => {
    const id = await startRunning('WaitEvent');
    const notSuspended = await call(host(), 'POST', `${W}/instances/${id}/resume?reason=x`);
    expect(notSuspended.status).toBe(500);
    expect(notSuspended.body).toMatchObject({
      ExceptionMessage: `Cannot resume the orchestration instance ${id} because instance is in the Running state.`,
      ExceptionType: 'System.InvalidOperationException',
    });

    expect((await call(host(), 'POST', `${W}/instances/${id}/suspend?reason=maintenance`)).status).toBe(202);
    const suspended = await host().waitForStatus(id, (s) => s.runtimeStatus === 'Suspended', { timeoutMs: 30_000 });
    expect(suspended.output).toBe('maintenance');
    const twice = await call(host(), 'POST', `${W}/instances/${id}/suspend?reason=again`);
    expect(twice.status).toBe(500);
    expect(twice.body).toMatchObject({
      ExceptionMessage: `Cannot suspend the orchestration instance ${id} because instance is in the Suspended state.`,
    });
    expect((await start(host(), 'WaitEvent', id)).body).toEqual({
      Message: 'An Orchestration instance with the status Suspended already exists.',
    });

    expect((await call(host(), 'POST', `${W}/instances/${id}/terminate?reason=because`)).status).toBe(202);
    const terminated = await finished(host(), id);
    expect([terminated.runtimeStatus, terminated.output]).toEqual(['Terminated', 'because']);
  });

  it('refuses to purge an active instance with 412, purges a finished one once, then answers 404', async () => {
    const id = await startRunning('WaitEvent');
    expect(await call(host(), 'DELETE', `${W}/instances/${id}`)).toEqual({
      status: 412,
      body: `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${id} has status Running`,
    });
    await raise(host(), id, 'Go', 1);
    await finished(host(), id);
    expect(await call(host(), 'DELETE', `${W}/instances/${id}`)).toEqual({
      status: 200,
      body: { instancesDeleted: 1 },
    });
    expect((await call(host(), 'DELETE', `${W}/instances/${id}`)).status).toBe(404);
  });
});

describe('orchestration behaviour', () => {
  it('fails an orchestration whose custom status exceeds 16 KB of UTF-16 (whole KB, rounded down)', async () => {
    // JSON of n characters is n + 2 characters, 2 bytes each: 8,701 → 17,406 bytes = 16 KB; 8,702 → 17 KB.
    const ok = await startRunning('BigStatus', { chars: 8701 });
    expect(((await host().waitForStatus(ok, () => true)).customStatus as string).length).toBe(8701);
    const id = freshId('bigstatus');
    await start(host(), 'BigStatus', id, { chars: 8702 });
    const failed = await finished(host(), id);
    expect(failed.runtimeStatus).toBe('Failed');
    expect(failed.output).toBe(
      "Orchestrator function 'BigStatus' failed: The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. The current payload size is 17 KB.",
    );
  });

  it('gives each continue-as-new generation its own createdTime, and delivers a burst of events across generations', async () => {
    const id = await startRunning('Accumulator', { total: 0, seen: [] });
    const first = await host().waitForStatus(id, () => true);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // status times have whole-second precision
    await raise(host(), id, 'add', 1);
    const second = await host().waitForStatus(id, (s) => (s.input as { total: number }).total === 1, {
      timeoutMs: 30_000,
    });
    expect(Date.parse(second.createdTime)).toBeGreaterThan(Date.parse(first.createdTime));

    for (const value of [2, 3]) await raise(host(), id, 'add', value);
    await raise(host(), id, 'unrelated', 9);
    await raise(host(), id, 'add', 4);
    const after = await host().waitForStatus(id, (s) => (s.input as { total: number }).total === 10, {
      timeoutMs: 30_000,
    });
    // Same-name events that arrived before a generation ended reach the next ones, in order.
    expect(after.input).toEqual({ total: 10, seen: [1, 2, 3, 4] });
  });

  it.each([
    [
      'of the name it consumed',
      [
        ['e', 1],
        ['e', 2],
      ],
    ],
    [
      'of another name',
      [
        ['e', 1],
        ['late', 7],
      ],
    ],
  ])(
    'drops, at continue-as-new, an event %s that the ending execution received in an earlier episode and never consumed',
    async (_label, events) => {
      const id = await startRunning('CarryProbe', { gen: 0 });
      for (const [name, value] of events) await raise(host(), id, name as string, value);
      // Both events are in the execution's history before `gate` lets it consume the first and continue as new.
      await eventuallyInHistory(id, events.length);
      await raise(host(), id, 'gate', 0);
      const done = await finished(host(), id);
      expect([done.input, done.output]).toEqual([{ gen: 1, first: 1 }, 'timeout']);
    },
  );

  it.each([
    ['a string', 'hello', 'hello'],
    ['a string of digits', '5', '5'],
    ['a number', 5, 5],
    ['null', null, null],
    ['an array', [1, 'a'], [1, 'a']],
    ['an empty string', '', ''],
    // The activity trigger binds a string (as the Functions host does for script languages): true arrives as "True".
    ['a boolean', true, onMemory<unknown>('True', true)],
  ])('carries %s through continue-as-new and into activities', async (_label, value, expected) => {
    const id = freshId('gen');
    await start(host(), 'Generations', id, { left: 2, value });
    const done = await finished(host(), id);
    expect(done.runtimeStatus).toBe('Completed');
    expect((done.output as { echoed: unknown }).echoed).toEqual(expected);
  });

  it('reports a failed activity as the orchestrator failure with the activity message and a serialised exception', async () => {
    const id = freshId('fails');
    await start(host(), 'ActivityFails', id);
    const failed = await finished(host(), id);
    expect(failed.runtimeStatus).toBe('Failed');
    expect(failed.output).toMatch(
      /^Orchestrator function 'ActivityFails' failed: Activity function 'Explode' failed: {2}kaboom \n \{"\$type":"System\.Exception, System\.Private\.CoreLib","ClassName":"System\.Exception","Message":" ?kaboom"/,
    );
  });

  it('accepts and delivers an event of 35,000,000 characters (the only bound is the host’s 100 MB body limit)', async () => {
    const id = await startRunning('WaitEvent');
    expect((await raise(host(), id, 'Go', 'x'.repeat(35_000_000))).status).toBe(202);
    const done = await host().waitForStatus(id, (s) => s.runtimeStatus === 'Completed', { timeoutMs: 60_000 });
    expect((done.output as string).length).toBe(35_000_000);
  }, 90_000);

  it('completes while a timer is still pending', async () => {
    const id = await startRunning('LeavesTimer');
    await raise(host(), id, 'Go', 'done');
    const done = await finished(host(), id);
    expect([done.runtimeStatus, done.output]).toEqual(['Completed', 'done']);
  });

  it('deletes running instances too in a filtered purge that names no runtimeStatus', async () => {
    const id = await startRunning('WaitEvent');
    const created = (await host().waitForStatus(id, () => true)).createdTime;
    const purge = await call(
      host(),
      'DELETE',
      `${W}/instances?createdTimeFrom=${encodeURIComponent(created)}&createdTimeTo=${encodeURIComponent(new Date(Date.parse(created) + 1000).toISOString())}`,
    );
    expect(purge.status).toBe(200);
    expect((purge.body as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(1);
    expect((await call(host(), 'GET', `${W}/instances/${id}`)).status).toBe(404);
  });
});

describe('entities and sub-orchestrations', () => {
  it('serves entity calls and signals from an orchestration, entity failures and client signals', async () => {
    const key = freshId('key');
    const id = freshId('entity-user');
    await start(host(), 'EntityUser', id, key);
    expect(await finished(host(), id)).toMatchObject({ runtimeStatus: 'Completed', output: 15 });
    expect(await call(host(), 'GET', `${W}/entities/Counter/${key}`)).toEqual({ status: 200, body: 15 });

    const failing = freshId('entity-failure');
    await start(host(), 'EntityFailure', failing);
    expect(await finished(host(), failing)).toMatchObject({ runtimeStatus: 'Completed', output: 'caught: true' });

    const signalled = freshId('signalled');
    expect((await call(host(), 'POST', `${W}/entities/Counter/${signalled}?op=add`, 7)).status).toBe(202);
    const deadline = Date.now() + 30_000;
    let state = await call(host(), 'GET', `${W}/entities/Counter/${signalled}`);
    while (state.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await call(host(), 'GET', `${W}/entities/Counter/${signalled}`);
    }
    expect(state).toEqual({ status: 200, body: 7 });
    expect((await call(host(), 'GET', `${W}/entities/Counter/${freshId('never')}`)).status).toBe(404);
  });

  it('runs sub-orchestrations, returns their output and surfaces a failed child as the parent’s error', async () => {
    const id = freshId('parent');
    await start(host(), 'Parent', id);
    expect(await finished(host(), id)).toMatchObject({
      runtimeStatus: 'Completed',
      output: { doubled: { value: 10, parent: id }, failure: "Orchestrator function 'Failing' failed: boom" },
    });
    const child = await call(host(), 'GET', `${W}/instances/${id}-failing-child`);
    expect(child.body).toMatchObject({
      runtimeStatus: 'Failed',
      output: "Orchestrator function 'Failing' failed: boom",
    });
  });
});

describe('AnyState (host.json overridableExistingInstanceStates)', () => {
  const anyState = useLocalHost({
    appDir: path.resolve(__dirname, '..', 'fixtures', 'apps', 'durable-anystate'),
    clock: 'real',
    port: 0,
  });

  it('lets a start replace a running instance with a new execution', async () => {
    const id = freshId('anystate');
    expect((await start(anyState(), 'WaitEvent', id, 1)).status).toBe(202);
    const first = await running(anyState(), id);
    const again = await start(anyState(), 'WaitEvent', id, 2);
    expect(again.status).toBe(202);
    const second = await anyState().waitForStatus(id, (s) => s.input === 2, { timeoutMs: 30_000 });
    expect(second.runtimeStatus).toMatch(/^(Pending|Running)$/);
    expect(first.input).toBe(1);
    await raise(anyState(), id, 'Go', 'done');
    expect(await finished(anyState(), id)).toMatchObject({ runtimeStatus: 'Completed', output: 'done', input: 2 });
  });
});
