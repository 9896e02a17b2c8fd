/**
 * HistoryJanitor over real HTTP: it purges finished instances once they are older than `olderThanDays`, one window
 * of creation time per activity call, never touches an instance that still runs (itself included), and stops
 * gracefully. On `memory` the manual clock spreads the instances over hours and ages them by days; on `azurite` the
 * real extension purges instances created seconds apart.
 */
import {
  BACKEND,
  describeOnMemory,
  freshId,
  getSingle,
  isTerminal,
  postManagement,
  startSingle,
  stopSingle,
  useHost,
} from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

// A host per test, so each janitor sees only its own test's instances.
const host = useHost(BACKEND === 'memory' ? { clock: 'manual', scope: 'each' } : { scope: 'each' });

interface JanitorStatus {
  iteration: number;
  lastPurgeAt: string | null;
  lastPurgedCount: number | null;
  totalPurged: number;
  lastError: string | null;
  sweep: { windowsDone: number; windowsTotal: number } | null;
}

const janitorStatus = (s: InstanceStatus): JanitorStatus => s.customStatus as JanitorStatus;

const HOUR_SECONDS = 3600;

async function startCounter(): Promise<ManagementPayload> {
  const id = freshId('kept');
  const res = await startSingle(host(), 'Counter', id);
  expect(res.status).toBe(202);
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 20_000 });
  return res.body as ManagementPayload;
}

async function completedCounter(): Promise<string> {
  const counter = await startCounter();
  expect((await stopSingle(host(), 'Counter', counter.id, '?timeoutSeconds=20')).status).toBe(200);
  return counter.id;
}

async function terminatedCounter(): Promise<string> {
  const counter = await startCounter();
  expect((await postManagement(counter.terminatePostUri, 'done')).status).toBe(202);
  await host().waitForStatus(counter.id, isTerminal, { timeoutMs: 20_000 });
  return counter.id;
}

/** Lets time pass between instances: hours of the manual clock on `memory`, a moment of real time on `azurite`. */
async function letTimePass(hours: number): Promise<void> {
  if (BACKEND === 'memory') await host().advanceTime(hours * HOUR_SECONDS * 1000);
  else await new Promise((resolve) => setTimeout(resolve, 1000));
}

async function expectRunning(name: string, instanceId: string): Promise<void> {
  const kept = await getSingle(host(), name, instanceId);
  expect(kept.status).toBe(200);
  expect(kept.body.runtimeStatus).toBe('Running');
}

describe('HistoryJanitor', () => {
  it('purges finished instances spread over time, window by window, and never one that runs', async () => {
    const finished = [await completedCounter()];
    await letTimePass(5);
    finished.push(await terminatedCounter());
    await letTimePass(5);
    finished.push(await completedCounter());
    const running = await startCounter();
    await letTimePass(1);

    // Everything created in the last day before now, in 8 windows of 3 hours, one generation.
    const janitorId = freshId('janitor');
    const start = await startSingle(host(), 'HistoryJanitor', janitorId, {
      olderThanDays: 0,
      lookbackDays: 1,
      windowMinutes: 180,
      intervalSeconds: HOUR_SECONDS,
    });
    expect(start.status).toBe(202);
    const swept = await host().waitForStatus(janitorId, (s) => janitorStatus(s)?.iteration === 1, {
      timeoutMs: 90_000,
    });

    const status = janitorStatus(swept);
    expect(status).toMatchObject({ iteration: 1, lastError: null, sweep: null });
    expect(status.lastPurgedCount).toBe(finished.length);
    for (const id of finished) expect((await getSingle(host(), 'Counter', id)).status).toBe(404);
    await expectRunning('Counter', running.id);
    await expectRunning('HistoryJanitor', janitorId);

    const stop = await stopSingle(host(), 'HistoryJanitor', janitorId, '?timeoutSeconds=20');
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ runtimeStatus: 'Completed', stopped: true });
    expect((await stopSingle(host(), 'Counter', running.id, '?timeoutSeconds=20')).status).toBe(200);
  }, 180_000);
});

describeOnMemory('the manual clock ages instances by days')('HistoryJanitor over days', () => {
  it('purges finished instances older than olderThanDays and keeps running ones', async () => {
    const completed = await completedCounter();
    const terminated = await terminatedCounter();
    const running = await startCounter();

    const janitorId = freshId('janitor');
    const start = await startSingle(host(), 'HistoryJanitor', janitorId, {
      olderThanDays: 1,
      intervalSeconds: HOUR_SECONDS,
      windowMinutes: 720,
      lookbackDays: 2,
    });
    expect(start.status).toBe(202);
    const first = await host().waitForStatus(janitorId, (s) => janitorStatus(s)?.iteration === 1, {
      timeoutMs: 10_000,
    });
    // Nothing is a day old yet.
    expect(janitorStatus(first)).toMatchObject({ lastPurgedCount: 0, totalPurged: 0, lastError: null });
    expect((await getSingle(host(), 'Counter', completed)).status).toBe(200);

    // One sweep an hour: the 26th runs a day and an hour later, when the finished instances are older than a day.
    let status = first;
    for (let iteration = 2; iteration <= 26; iteration += 1) {
      await host().advanceTime(HOUR_SECONDS * 1000);
      status = await host().waitForStatus(janitorId, (s) => janitorStatus(s)?.iteration === iteration, {
        timeoutMs: 10_000,
      });
    }

    expect(janitorStatus(status)).toMatchObject({ iteration: 26, totalPurged: 2, lastError: null });
    expect((await getSingle(host(), 'Counter', completed)).status).toBe(404);
    expect((await getSingle(host(), 'Counter', terminated)).status).toBe(404);
    await expectRunning('Counter', running.id);

    const stop = await stopSingle(host(), 'HistoryJanitor', janitorId, '?timeoutSeconds=10');
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ runtimeStatus: 'Completed', stopped: true });
    expect(stop.body.output).toMatchObject({ iteration: 26, totalPurged: 2, stoppedAt: expect.any(String) });
  });
});
