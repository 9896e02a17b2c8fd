/**
 * The lifecycle endpoints on the singleton route over real HTTP: GET status (200 / 404 / 409), DELETE as a graceful
 * stop (202 while stopping, 200 once stopped within `timeoutSeconds`), the terminate fallback when the stop is not
 * honoured in time, 404 and 409.
 */
import path from 'node:path';
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
} from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

async function startRunning(functionName: string, input?: unknown): Promise<ManagementPayload> {
  const id = freshId(functionName.toLowerCase());
  const res = await startSingle(host(), functionName, id, input);
  expect(res.status).toBe(202);
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  return res.body as ManagementPayload;
}

describe('GET /api/orchestrators/{functionName}/{instanceId}', () => {
  it('answers 200 with the instance status', async () => {
    const { id } = await startRunning('Counter', { value: 5 });

    const res = await getSingle(host(), 'Counter', id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Counter',
      instanceId: id,
      runtimeStatus: 'Running',
      state: { value: 5 },
      customStatus: { value: 5 },
      output: null,
      createdTime: expect.any(String),
      lastUpdatedTime: expect.any(String),
    });
  });

  it("answers the orchestrator's carried-over state as state, not as an input to POST back", async () => {
    const payload = await startRunning('Counter', { value: 5 });
    expect((await raiseEvent(payload, 'incr')).status).toBe(202);

    // The next generation starts from what continueAsNew carried: poll until it shows (bounded by the test timeout).
    let res = await getSingle(host(), 'Counter', payload.id);
    while ((res.body.state as { value?: number } | null)?.value !== 6) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      res = await getSingle(host(), 'Counter', payload.id);
    }

    expect(res.body).not.toHaveProperty('input');
    expect(res.body.state).toEqual({ value: 6, lastError: null });
    const again = await startSingle(host(), 'Counter', freshId('copy'), res.body.state);
    expect(again.status).toBe(400);
  });

  it('answers 404 for an unknown instance', async () => {
    const id = freshId('nobody');
    const res = await getSingle(host(), 'Counter', id);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: `No instance with ID '${id}' found.`, code: 'instanceNotFound', instanceId: id });
  });

  it('answers 409 when the instance belongs to another orchestrator', async () => {
    const { id } = await startRunning('Counter');

    const res = await getSingle(host(), 'PeriodicJob', id);

    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: `Instance '${id}' belongs to orchestrator 'Counter', not 'PeriodicJob'.`,
      code: 'wrongOrchestrator',
      instanceId: id,
      name: 'Counter',
      expectedName: 'PeriodicJob',
      runtimeStatus: 'Running',
    });
  });

  it('answers 400 for an invalid instance ID', async () => {
    const res = await getSingle(host(), 'Counter', '@x');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidInstanceId');
  });
});

describe('DELETE /api/orchestrators/{functionName}/{instanceId}', () => {
  it('answers 202 stopping while the instance runs on, or 200 stopped once it has honoured the stop', async () => {
    const { id } = await startRunning('Counter', { value: 3 });

    const res = await stopSingle(host(), 'Counter', id);

    // The answer reads the status back after raising the stop, and a Counter may have completed by then.
    const final = await host().waitForStatus(id, isTerminal, { timeoutMs: 10_000 });
    expect(final.runtimeStatus).toBe('Completed');
    expect(final.output).toMatchObject({ value: 3, lastError: null, stoppedAt: expect.any(String) });
    expect([200, 202]).toContain(res.status);
    expect(res.body).toEqual(
      res.status === 202
        ? {
            instanceId: id,
            name: 'Counter',
            runtimeStatus: 'Running',
            stopping: true,
            statusQueryGetUri: expect.any(String),
          }
        : { instanceId: id, name: 'Counter', runtimeStatus: 'Completed', stopped: true, output: final.output },
    );
  });

  it('answers 200 once stopped when the stop completes within timeoutSeconds', async () => {
    const { id } = await startRunning('Counter', { value: 8 });

    const res = await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      instanceId: id,
      name: 'Counter',
      runtimeStatus: 'Completed',
      stopped: true,
      output: { value: 8, lastError: null, stoppedAt: expect.any(String) },
    });
    expect((await getSingle(host(), 'Counter', id)).body.runtimeStatus).toBe('Completed');
  });

  it('answers 200 at once for an instance that is already stopped', async () => {
    const { id } = await startRunning('Counter');
    expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=10')).status).toBe(200);

    const res = await stopSingle(host(), 'Counter', id);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ instanceId: id, runtimeStatus: 'Completed', stopped: true });
  });

  it('stops a PeriodicJob waiting on its timer without moving the clock', async () => {
    const { id } = await startRunning('PeriodicJob', { intervalSeconds: 3600 });
    await host().waitForStatus(id, (s) => (s.customStatus as { iteration?: number } | null)?.iteration === 1, {
      timeoutMs: 10_000,
    });

    const res = await stopSingle(host(), 'PeriodicJob', id, '?timeoutSeconds=10');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ instanceId: id, runtimeStatus: 'Completed', stopped: true });
    expect(res.body.output).toMatchObject({ intervalSeconds: 3600, iteration: 1, lastError: null });
  });

  it('answers 409 for a Suspended instance without timeoutSeconds, and it runs on unchanged once resumed', async () => {
    const payload = await startRunning('Counter', { value: 3 });
    expect((await postManagement(payload.suspendPostUri, 'on hold')).status).toBe(202);
    await host().waitForStatus(payload.id, (s) => s.runtimeStatus === 'Suspended', { timeoutMs: 10_000 });

    const res = await stopSingle(host(), 'Counter', payload.id);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'instanceSuspended', runtimeStatus: 'Suspended', name: 'Counter' });
    // The same resume endpoint (the backend may name its own host rather than the one this request used).
    expect(new URL(res.body.resumePostUri as string).pathname).toBe(new URL(payload.resumePostUri).pathname);
    expect((await postManagement(payload.resumePostUri, 'go on')).status).toBe(202);
    await host().waitForStatus(payload.id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
    // No stop was queued behind the suspension: an event still reaches a running Counter.
    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    const after = await host().waitForStatus(payload.id, (s) => (s.customStatus as { value?: number }).value === 4, {
      timeoutMs: 10_000,
    });
    expect(after.runtimeStatus).toBe('Running');
  });

  it('terminates as the fallback when a suspended instance cannot honour the stop in time, and says so', async () => {
    const payload = await startRunning('Counter');
    expect((await postManagement(payload.suspendPostUri, 'hold the stop')).status).toBe(202);
    await host().waitForStatus(payload.id, (s) => s.runtimeStatus === 'Suspended', { timeoutMs: 10_000 });

    const res = await stopSingle(host(), 'Counter', payload.id, '?timeoutSeconds=1');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      instanceId: payload.id,
      name: 'Counter',
      runtimeStatus: 'Terminated',
      terminated: true,
      reason: 'Graceful stop timed out after 1s',
    });
    const final = await host().waitForStatus(payload.id, isTerminal, { timeoutMs: 10_000 });
    expect(final.runtimeStatus).toBe('Terminated');
    expect(final.output).toBe('Graceful stop timed out after 1s');
  });

  it('answers 404 for an unknown instance', async () => {
    const id = freshId('nobody');
    const res = await stopSingle(host(), 'Counter', id);

    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: `No instance with ID '${id}' found.`, code: 'instanceNotFound', instanceId: id });
  });

  it('answers 409 when the instance belongs to another orchestrator, and leaves it running', async () => {
    const { id } = await startRunning('Counter');

    const res = await stopSingle(host(), 'PeriodicJob', id);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'wrongOrchestrator', instanceId: id, name: 'Counter' });
    await host().whenIdle();
    expect((await getSingle(host(), 'Counter', id)).body.runtimeStatus).toBe('Running');
  });

  it('answers 400 for a timeoutSeconds that is not an integer from 0 to 200', async () => {
    const { id } = await startRunning('Counter');

    const res = await stopSingle(host(), 'Counter', id, '?timeoutSeconds=201');

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalidQuery', field: 'timeoutSeconds' });
    expect((await getSingle(host(), 'Counter', id)).body.runtimeStatus).toBe('Running');
  });
});

describe('DELETE of a PeriodicJob in the middle of a slow run', () => {
  const jobHost = useHost({ clock: 'real', appDir: path.resolve(__dirname, '..', 'fixtures', 'e2e', 'flaky-job-app') });

  it('answers 202 stopping, with a Location that serves the status, until the run ends and the job completes', async () => {
    const id = freshId('slow-job');
    const started = await startSingle(jobHost(), 'PeriodicJob', id, {
      intervalSeconds: 60,
      payload: { mode: 'slow', ms: 4_000, tag: id },
    });
    expect(started.status).toBe(202);
    await jobHost().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });

    const res = await stopSingle(jobHost(), 'PeriodicJob', id);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      instanceId: id,
      name: 'PeriodicJob',
      runtimeStatus: 'Running',
      stopping: true,
      statusQueryGetUri: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(res.body.statusQueryGetUri);
    expect(res.headers.get('retry-after')).toBe('5');

    const final = await jobHost().waitForStatus(id, isTerminal, { timeoutMs: 20_000 });
    expect(final.runtimeStatus).toBe('Completed');
    expect(final.output).toMatchObject({ iteration: 1, lastResult: { iteration: 1, attempt: 1 } });
    const status = await request<InstanceStatus>(res.body.statusQueryGetUri);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ instanceId: id, runtimeStatus: 'Completed' });
  });
});
