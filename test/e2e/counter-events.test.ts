/** The Counter singleton driven only through the check-status payload's URLs, as a user with curl would. */
import {
  BACKEND,
  freshId,
  settledStatus,
  postManagement,
  raiseEvent,
  request,
  startSingle,
  useHost,
  webhookStatus,
} from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

const valueOf = (s: InstanceStatus): number | undefined => (s.customStatus as { value?: number } | null)?.value;

async function startCounter(): Promise<ManagementPayload> {
  const id = freshId('counter');
  const res = await startSingle(host(), 'Counter', id);
  expect(res.status).toBe(202);
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  return res.body as ManagementPayload;
}

/** The value, read through `statusQueryGetUri` once it equals `expected` (see `settledStatus`). */
async function observedValue(payload: ManagementPayload, expected: number): Promise<number | undefined> {
  await settledStatus(host(), payload.id, (s) => valueOf(s) === expected);
  const res = await request<InstanceStatus>(payload.statusQueryGetUri);
  expect(res.status).toBe(202);
  expect(res.body.runtimeStatus).toBe('Running');
  return valueOf(res.body);
}

describe('Counter through sendEventPostUri', () => {
  it('applies incr, decr, set and reset in order', async () => {
    const payload = await startCounter();
    expect(await observedValue(payload, 0)).toBe(0);

    for (let i = 0; i < 3; i += 1) expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    expect(await observedValue(payload, 3)).toBe(3);

    expect((await raiseEvent(payload, 'decr')).status).toBe(202);
    expect(await observedValue(payload, 2)).toBe(2);

    expect((await raiseEvent(payload, 'set', 41)).status).toBe(202);
    expect(await observedValue(payload, 41)).toBe(41);

    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    expect(await observedValue(payload, 42)).toBe(42);

    expect((await raiseEvent(payload, 'reset')).status).toBe(202);
    expect(await observedValue(payload, 0)).toBe(0);
  });

  it('records a rejected event payload in the custom status and keeps the value', async () => {
    const payload = await startCounter();
    expect((await raiseEvent(payload, 'set', 5)).status).toBe(202);
    expect(await observedValue(payload, 5)).toBe(5);

    expect((await raiseEvent(payload, 'set', 'ten')).status).toBe(202);
    await settledStatus(
      host(),
      payload.id,
      (s) => typeof (s.customStatus as { lastError?: unknown } | null)?.lastError === 'string',
    );
    const res = await request<InstanceStatus>(payload.statusQueryGetUri);
    expect(res.body.customStatus).toEqual({
      value: 5,
      lastError: 'Event \'set\' ignored: expected a finite number, received string "ten".',
    });
  });

  it('applies every one of several events sent concurrently', async () => {
    const payload = await startCounter();

    const responses = await Promise.all(Array.from({ length: 20 }, () => raiseEvent(payload, 'incr')));

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    const final = await host().waitForStatus(payload.id, (s) => valueOf(s) === 20, { timeoutMs: 10_000 });
    expect(valueOf(final)).toBe(20);
    expect(await observedValue(payload, 20)).toBe(20);
  });

  it('lets no events of names it does not know pile up: the next generation starts without them', async () => {
    const payload = await startCounter();
    const raisedEvents = async (): Promise<string[]> => {
      const history = (await webhookStatus(payload, true)).body.historyEvents ?? [];
      return history.filter((e) => e.EventType === 'EventRaised').map((e) => String(e.Name));
    };
    for (let i = 0; i < 10; i += 1) expect((await raiseEvent(payload, 'bogus', 'x'.repeat(1000))).status).toBe(202);
    // Wait until the current generation has received all ten.
    await settledStatus(host(), payload.id, () => true);
    for (let tries = 0; (await raisedEvents()).length < 10; tries += 1) {
      if (tries > 300) throw new Error('the bogus events did not reach the history');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    expect(await observedValue(payload, 1)).toBe(1);
    // Continue-as-new drops what the ending generation received and never consumed, on both backends.
    expect(await raisedEvents()).toEqual([]);
  });

  it('keeps events sent while suspended and applies them after resume', async () => {
    const payload = await startCounter();
    expect((await postManagement(payload.suspendPostUri, 'maintenance')).status).toBe(202);
    await host().waitForStatus(payload.id, (s) => s.runtimeStatus === 'Suspended', { timeoutMs: 10_000 });

    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    expect((await raiseEvent(payload, 'incr', 2)).status).toBe(202);
    await host().whenIdle();
    const suspended = await request<InstanceStatus>(payload.statusQueryGetUri);
    expect(suspended.body.runtimeStatus).toBe('Suspended');
    // The emulator holds events back while suspended. The real extension was seen to apply an event raised right
    // after the suspend while the status already read Suspended (docs/fidelity.md), so only the resume is asserted there.
    if (BACKEND === 'memory') expect(suspended.body.customStatus).toEqual({ value: 0 });

    expect((await postManagement(payload.resumePostUri, 'done')).status).toBe(202);
    const resumed = await host().waitForStatus(payload.id, (s) => valueOf(s) === 3, { timeoutMs: 10_000 });
    expect(resumed.runtimeStatus).toBe('Running');
  });

  it('completes with its final value on the stop event', async () => {
    const payload = await startCounter();
    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    expect((await raiseEvent(payload, 'incr')).status).toBe(202);
    expect((await raiseEvent(payload, 'stop')).status).toBe(202);

    const final = await host().waitForStatus(payload.id, (s) => s.runtimeStatus === 'Completed', {
      timeoutMs: 10_000,
    });
    expect(valueOf(final)).toBe(2);
    expect(final.output).toEqual({ value: 2, lastError: null, stoppedAt: expect.any(String) });
    // Events to a completed instance are refused by the management API as gone.
    expect((await raiseEvent(payload, 'incr')).status).toBe(410);
  });
});
