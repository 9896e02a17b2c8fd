/**
 * PeriodicJob as an eternal singleton on the manual clock: 1,000 iterations in one test, with the history of the
 * current generation staying small and constant because each iteration continues as new.
 */
import { freshId, startSingle, stopSingle, useHost, webhookStatus } from '../support/appHttpClient';
import { describeOnMemory } from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'manual' });

interface JobStatus {
  iteration: number;
  lastRunAt: string | null;
  lastResult: unknown;
  lastError: unknown;
}

const jobStatus = (s: InstanceStatus): JobStatus | undefined => (s.customStatus as JobStatus | null) ?? undefined;

const INTERVAL_SECONDS = 30;

/** Moves the clock by one interval and waits until the iteration it releases has run. */
async function nextIteration(id: string, expected: number): Promise<InstanceStatus> {
  await host().advanceTime(INTERVAL_SECONDS * 1000);
  await host().whenIdle();
  return host().waitForStatus(id, (s) => (jobStatus(s)?.iteration ?? 0) >= expected, { timeoutMs: 10_000 });
}

/** Length of the history the status shows, which must be one generation's: exactly one ExecutionStarted. */
async function historyLength(payload: ManagementPayload): Promise<number> {
  const res = await webhookStatus(payload, true);
  expect(res.status).toBe(202);
  const events = res.body.historyEvents ?? [];
  expect(events.filter((e) => e.EventType === 'ExecutionStarted')).toHaveLength(1);
  return events.length;
}

describeOnMemory('the manual clock drives 1,000 iterations')('PeriodicJob on the manual clock', () => {
  it('runs 1,000 iterations while its history stays bounded', async () => {
    const id = freshId('job');
    const start = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: INTERVAL_SECONDS });
    expect(start.status).toBe(202);
    const payload = start.body as ManagementPayload;

    const first = await host().waitForStatus(id, (s) => (jobStatus(s)?.iteration ?? 0) >= 1, { timeoutMs: 10_000 });
    expect(jobStatus(first)?.iteration).toBe(1);
    expect(jobStatus(first)?.lastError ?? null).toBeNull();

    let status = first;
    for (let iteration = 2; iteration <= 10; iteration += 1) status = await nextIteration(id, iteration);
    expect(jobStatus(status)?.iteration).toBe(10);
    await host().whenIdle();
    const historyAt10 = await historyLength(payload);

    for (let iteration = 11; iteration <= 1000; iteration += 1) status = await nextIteration(id, iteration);
    expect(jobStatus(status)?.iteration).toBe(1000);
    expect(status.runtimeStatus).toBe('Running');
    await host().whenIdle();
    const historyAt1000 = await historyLength(payload);

    // Only the current generation is kept: the same small number of events at iteration 10 and 1,000.
    expect(historyAt1000).toBe(historyAt10);
    expect(historyAt1000).toBeLessThan(20);

    // Each run recorded its time from the orchestration clock, which the test moved by one interval per iteration.
    const lastRunAt = Date.parse(String(jobStatus(status)?.lastRunAt));
    const firstRunAt = Date.parse(String(jobStatus(first)?.lastRunAt));
    expect(lastRunAt - firstRunAt).toBe(999 * INTERVAL_SECONDS * 1000);

    const stop = await stopSingle(host(), 'PeriodicJob', id, '?timeoutSeconds=10');
    expect(stop.status).toBe(200);
    expect(stop.body.runtimeStatus).toBe('Completed');
  }, 300_000);
});
