/**
 * PeriodicJob's failure paths over real HTTP, on the manual clock: the activity retry policy (3 attempts, 5 s then
 * 10 s apart), a run that still fails after its retries (recorded in the custom status; the job carries on), and the
 * terminate fallback of DELETE when a slow run keeps the job from honouring `stop` in time. The app's own job never
 * fails and is never slow, so the app runs here with a stand-in RunJob (see the fixture app).
 */
import path from 'node:path';
import { freshId, isTerminal, startSingle, stopSingle, useHost } from '../support/appHttpClient';
import { describeOnMemory } from '../support/appHttpClient';
import type { InstanceStatus } from '../support/appHttpClient';

const host = useHost({
  clock: 'manual',
  appDir: path.resolve(__dirname, '..', 'fixtures', 'e2e', 'flaky-job-app'),
});

interface JobStatus {
  iteration: number;
  lastRunAt: string | null;
  lastResult: unknown;
  lastError: string | null;
  consecutiveFailures: number;
}

const jobStatus = (s: InstanceStatus): JobStatus => s.customStatus as JobStatus;

/** Moves the manual clock and lets the work it releases finish. */
async function advance(ms: number): Promise<void> {
  await host().advanceTime(ms);
  await host().whenIdle();
}

/** Starts a job whose runs do what `behaviour` asks (the fixture's RunJob reads it from the job's payload). */
async function startJob(behaviour: Record<string, unknown>): Promise<string> {
  const id = freshId('flaky');
  const res = await startSingle(host(), 'PeriodicJob', id, { intervalSeconds: 60, payload: { ...behaviour, tag: id } });
  expect(res.status).toBe(202);
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  return id;
}

async function statusOf(id: string): Promise<InstanceStatus> {
  return host().waitForStatus(id, () => true);
}

describeOnMemory('the manual clock drives retries and stop timeouts')('PeriodicJob failure handling', () => {
  it('retries a failed run after 5 s and records the successful retry', async () => {
    const id = await startJob({ mode: 'failFirstAttempt' });
    await host().whenIdle();
    // The first attempt failed; the retry waits for its timer.
    expect(jobStatus(await statusOf(id))).toMatchObject({ iteration: 0, lastError: null });

    await advance(4_999);
    expect(jobStatus(await statusOf(id)).iteration).toBe(0);
    await advance(1);

    const status = await host().waitForStatus(id, (s) => jobStatus(s).iteration === 1, { timeoutMs: 10_000 });
    expect(jobStatus(status)).toMatchObject({
      iteration: 1,
      lastResult: { iteration: 1, attempt: 2 },
      lastError: null,
      consecutiveFailures: 0,
    });
  });

  it('records a run that still fails after 3 attempts and carries on with the next iteration', async () => {
    const id = await startJob({ mode: 'fail' });
    await host().whenIdle();

    await advance(5_000); // second attempt
    expect(jobStatus(await statusOf(id)).iteration).toBe(0);
    await advance(10_000); // third and last attempt
    const first = await host().waitForStatus(id, (s) => jobStatus(s).iteration === 1, { timeoutMs: 10_000 });

    expect(first.runtimeStatus).toBe('Running');
    expect(jobStatus(first)).toMatchObject({ iteration: 1, consecutiveFailures: 1, lastResult: null });
    // Only the failure reason, without the serialised exception and its stack.
    expect(jobStatus(first).lastError).toBe(
      "Activity function 'RunJob' failed:  RunJob stand-in: iteration 1 attempt 3 failed as asked",
    );

    // The next iteration starts one interval after the first one ended (its wait began after the last attempt), and
    // fails the same way.
    await advance(60_000);
    expect(jobStatus(await statusOf(id)).iteration).toBe(1);
    await advance(5_000);
    await advance(10_000);
    const second = await host().waitForStatus(id, (s) => jobStatus(s).iteration === 2, { timeoutMs: 10_000 });
    expect(second.runtimeStatus).toBe('Running');
    expect(jobStatus(second)).toMatchObject({ iteration: 2, consecutiveFailures: 2 });
    expect(jobStatus(second).lastError).toBe(
      "Activity function 'RunJob' failed:  RunJob stand-in: iteration 2 attempt 3 failed as asked",
    );

    const stop = await stopSingle(host(), 'PeriodicJob', id, '?timeoutSeconds=10');
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ runtimeStatus: 'Completed', stopped: true });
  });

  it('terminates as the fallback when a slow run keeps the job from stopping in time, and says so', async () => {
    const id = await startJob({ mode: 'slow', ms: 4_000 });

    const stop = await stopSingle(host(), 'PeriodicJob', id, '?timeoutSeconds=1');

    expect(stop.status).toBe(200);
    expect(stop.body).toEqual({
      instanceId: id,
      name: 'PeriodicJob',
      runtimeStatus: 'Terminated',
      terminated: true,
      reason: 'Graceful stop timed out after 1s',
    });
    const final = await host().waitForStatus(id, isTerminal, { timeoutMs: 10_000 });
    expect(final.runtimeStatus).toBe('Terminated');
    // The run that was still going when the job was terminated does not bring it back.
    await host().whenIdle();
    expect((await statusOf(id)).runtimeStatus).toBe('Terminated');
  });

  it('stops gracefully within the timeout when the slow run finishes in time', async () => {
    const id = await startJob({ mode: 'slow', ms: 300 });

    const stop = await stopSingle(host(), 'PeriodicJob', id, '?timeoutSeconds=10');

    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ runtimeStatus: 'Completed', stopped: true });
    // The run in progress was finished before the job completed.
    expect(stop.body.output).toMatchObject({ iteration: 1, lastResult: { iteration: 1, attempt: 1 } });
  });
});
