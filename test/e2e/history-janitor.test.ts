/**
 * HistoryJanitor over real HTTP on the manual clock: it purges finished instances once they are older than
 * `olderThanDays`, leaves running ones alone, and stops gracefully.
 */
import { freshId, getSingle, isTerminal, postManagement, startSingle, stopSingle, useHost } from './app-client';
import { describeOnMemory } from './app-client';
import type { InstanceStatus, ManagementPayload } from './app-client';

const host = useHost({ clock: 'manual' });

interface JanitorStatus {
  iteration: number;
  lastPurgeAt: string | null;
  lastPurgedCount: number | null;
  totalPurged: number;
  lastError: string | null;
}

const janitorStatus = (s: InstanceStatus): JanitorStatus => s.customStatus as JanitorStatus;

const HOUR_SECONDS = 3600;

async function startCounter(): Promise<ManagementPayload> {
  const id = freshId('kept');
  const res = await startSingle(host(), 'Counter', id);
  expect(res.status).toBe(202);
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  return res.body as ManagementPayload;
}

describeOnMemory('the manual clock ages instances by days')('HistoryJanitor', () => {
  it('purges finished instances older than olderThanDays and keeps running ones', async () => {
    const completed = await startCounter();
    expect((await stopSingle(host(), 'Counter', completed.id, '?timeoutSeconds=10')).status).toBe(200);
    const terminated = await startCounter();
    expect((await postManagement(terminated.terminatePostUri, 'done')).status).toBe(202);
    await host().waitForStatus(terminated.id, isTerminal, { timeoutMs: 10_000 });
    const running = await startCounter();

    const janitorId = freshId('janitor');
    const start = await startSingle(host(), 'HistoryJanitor', janitorId, {
      olderThanDays: 1,
      intervalSeconds: HOUR_SECONDS,
    });
    expect(start.status).toBe(202);
    const first = await host().waitForStatus(janitorId, (s) => janitorStatus(s)?.iteration === 1, {
      timeoutMs: 10_000,
    });
    // Nothing is a day old yet.
    expect(janitorStatus(first)).toMatchObject({ lastPurgedCount: 0, totalPurged: 0, lastError: null });
    expect((await getSingle(host(), 'Counter', completed.id)).status).toBe(200);

    // One purge an hour: the 25th runs a day and an hour later, when the finished instances are older than a day.
    let status = first;
    for (let iteration = 2; iteration <= 26; iteration += 1) {
      await host().advanceTime(HOUR_SECONDS * 1000);
      status = await host().waitForStatus(janitorId, (s) => janitorStatus(s)?.iteration === iteration, {
        timeoutMs: 10_000,
      });
    }

    expect(janitorStatus(status)).toMatchObject({ iteration: 26, totalPurged: 2, lastError: null });
    expect((await getSingle(host(), 'Counter', completed.id)).status).toBe(404);
    expect((await getSingle(host(), 'Counter', terminated.id)).status).toBe(404);
    const kept = await getSingle(host(), 'Counter', running.id);
    expect(kept.status).toBe(200);
    expect(kept.body.runtimeStatus).toBe('Running');

    const stop = await stopSingle(host(), 'HistoryJanitor', janitorId, '?timeoutSeconds=10');
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ runtimeStatus: 'Completed', stopped: true });
    expect(stop.body.output).toMatchObject({ iteration: 26, totalPurged: 2, stoppedAt: expect.any(String) });
  });
});
