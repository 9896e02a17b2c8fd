/**
 * HttpStartSingle on a terminal instance: a new execution under the same ID, 202, and the answer says which status
 * was replaced.
 */
import {
  freshId,
  getSingle,
  isTerminal,
  postManagement,
  raiseEvent,
  request,
  startSingle,
  stopSingle,
  useHost,
  describeOnMemory,
  webhookStatus,
} from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

let host = useHost({ clock: 'real' });

const iterationOf = (s: InstanceStatus): number => (s.customStatus as { iteration?: number } | null)?.iteration ?? 0;

async function startCounter(id: string): Promise<ManagementPayload> {
  const res = await startSingle(host(), 'Counter', id);
  expect(res.status).toBe(202);
  expect(res.body.restarted).toBeUndefined();
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  return res.body as ManagementPayload;
}

async function expectRestartFrom(id: string, previousStatus: string): Promise<void> {
  const before = await host().waitForStatus(id, isTerminal, { timeoutMs: 10_000 });
  expect(before.runtimeStatus).toBe(previousStatus);

  const res = await startSingle(host(), 'Counter', id);

  expect(res.status).toBe(202);
  expect(res.body.id).toBe(id);
  expect(res.body.restarted).toEqual({ previousStatus, previousName: 'Counter' });
  expect(res.headers.get('location')).toBe(res.body.statusQueryGetUri);
  const after = await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  // A new execution: the counter starts from zero again.
  expect(after.customStatus).toEqual({ value: 0 });
}

describe('HttpStartSingle restart', () => {
  it('restarts an instance that Completed (stopped gracefully)', async () => {
    const id = freshId('restart-completed');
    const payload = await startCounter(id);
    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    await host().waitForStatus(id, (s) => (s.customStatus as { value?: number } | null)?.value === 1, {
      timeoutMs: 10_000,
    });
    expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10')).status).toBe(200);

    await expectRestartFrom(id, 'Completed');
  });

  it('restarts an instance that was Terminated', async () => {
    const id = freshId('restart-terminated');
    const payload = await startCounter(id);
    expect((await postManagement(payload.terminatePostUri, 'e2e')).status).toBe(202);

    await expectRestartFrom(id, 'Terminated');
  });

  it('restarts an instance whose status query shows the new execution afterwards', async () => {
    const id = freshId('restart-status');
    const payload = await startCounter(id);
    expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10')).status).toBe(200);
    await expectRestartFrom(id, 'Completed');

    const status = await webhookStatus(payload);
    expect(status.status).toBe(202);
    expect(status.body.runtimeStatus).toBe('Running');
  });

  it('restarts a Completed instance with onConflict=useExisting too (a finished instance is not "existing")', async () => {
    const id = freshId('restart-existing');
    await startCounter(id);
    expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10')).status).toBe(200);
    await host().waitForStatus(id, isTerminal, { timeoutMs: 10_000 });

    const res = await startSingle(host(), 'Counter', id, undefined, '?onConflict=useExisting');

    expect(res.status).toBe(202);
    expect(res.body.restarted).toEqual({ previousStatus: 'Completed', previousName: 'Counter' });
  });

  it('replaces a finished instance of another orchestrator under the ID, and names it', async () => {
    const id = freshId('restart-other');
    const job = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: 60 });
    expect(job.status).toBe(202);
    expect((await stopSingle(host(), 'PeriodicJob', id, '?timeoutSeconds=10')).status).toBe(200);

    const res = await startSingle(host(), 'Counter', id);

    expect(res.status).toBe(202);
    expect(res.body.restarted).toEqual({ previousStatus: 'Completed', previousName: 'PeriodicJob' });
    await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    expect((await getSingle(host(), 'Counter', id)).status).toBe(200);
    // The job is gone: its route now answers that the ID belongs to the Counter.
    expect((await getSingle(host(), 'PeriodicJob', id)).body).toMatchObject({
      name: 'Counter',
      expectedName: 'PeriodicJob',
    });
  });

  it("starts a copy under a random ID through the payload's restartPostUri, beside the running singleton", async () => {
    const id = freshId('restart-uri');
    const payload = (await startCounter(id)) as ManagementPayload & { restartPostUri: string };
    expect(payload.restartPostUri).toContain(`/instances/${id}/restart?`);

    const copy = await request(payload.restartPostUri, { method: 'POST' });

    expect(copy.status).toBe(202);
    expect(copy.body.id).not.toBe(id);
    const copyStatus = await host().waitForStatus(copy.body.id as string, (s) => s.runtimeStatus === 'Running', {
      timeoutMs: 10_000,
    });
    expect(copyStatus.name).toBe('Counter');
    expect((await getSingle(host(), 'Counter', id)).body.runtimeStatus).toBe('Running');
  });

  it('starts afresh, without restarted, once the finished instance was purged', async () => {
    const id = freshId('purged');
    const payload = await startCounter(id);
    expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10')).status).toBe(200);
    const purge = await request(payload.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(purge.status).toBe(200);
    expect(purge.body).toEqual({ instancesDeleted: 1 });
    expect((await getSingle(host(), 'Counter', id)).status).toBe(404);

    const res = await startSingle(host(), 'Counter', id);

    expect(res.status).toBe(202);
    expect(res.body.restarted).toBeUndefined();
  });
});

describeOnMemory("the manual clock fires both executions' timers at once")(
  'HttpStartSingle restart on the manual clock',
  () => {
    const manual = useHost({ clock: 'manual' });
    beforeAll(() => {
      host = manual;
    });

    it('restarts a Terminated PeriodicJob whose old timer was still pending, and the old timer does not leak in', async () => {
      const id = freshId('restart-timer');
      const first = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: 60 });
      expect(first.status).toBe(202);
      await host().waitForStatus(id, (s) => iterationOf(s) === 1, { timeoutMs: 10_000 });
      expect((await postManagement((first.body as ManagementPayload).terminatePostUri, 'replace')).status).toBe(202);
      await host().waitForStatus(id, isTerminal, { timeoutMs: 10_000 });

      const again = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: 60 });
      expect(again.status).toBe(202);
      expect(again.body.restarted).toEqual({ previousStatus: 'Terminated', previousName: 'PeriodicJob' });
      await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running' && iterationOf(s) === 1, {
        timeoutMs: 10_000,
      });

      // Both the terminated execution's timer and the new one are due now; only the new one may count.
      await host().advanceTime(60_000);
      await host().whenIdle();
      const after = await host().waitForStatus(id, (s) => iterationOf(s) >= 2, { timeoutMs: 10_000 });
      expect(after.runtimeStatus).toBe('Running');
      expect(iterationOf(after)).toBe(2);
      const history = await webhookStatus(again.body as ManagementPayload, true);
      expect((history.body.historyEvents ?? []).filter((e) => e.EventType === 'ExecutionStarted')).toHaveLength(1);
    });
  },
);
