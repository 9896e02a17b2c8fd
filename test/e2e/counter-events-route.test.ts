/**
 * The app's own events route, `POST /api/orchestrators/{functionName}/{instanceId}/events/{eventName}`: only events
 * the orchestrator waits for, with payloads it accepts, reach it; anything else is refused before it is raised.
 */
import {
  freshId,
  settledStatus,
  request,
  singletonUrl,
  startSingle,
  stopSingle,
  useHost,
  webhookStatus,
} from '../support/appHttpClient';
import type { ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

function sendEvent(functionName: string, id: string, eventName: string, body?: string) {
  const init: RequestInit = { method: 'POST' };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = body;
  }
  return request(singletonUrl(host(), functionName, id, `/events/${eventName}`), init);
}

async function startCounter(): Promise<{ id: string; payload: ManagementPayload }> {
  const id = freshId('events');
  const res = await startSingle(host(), 'Counter', id);
  expect(res.status).toBe(202);
  await host().waitForStatus(id, (s) => s.runtimeStatus === 'Running', { timeoutMs: 10_000 });
  return { id, payload: res.body as ManagementPayload };
}

/** The custom status, read through the status URL once it equals `expected` (see `settledStatus`). */
async function valueOf(payload: ManagementPayload, expected: unknown): Promise<unknown> {
  await settledStatus(host(), payload.id, (s) => JSON.stringify(s.customStatus) === JSON.stringify(expected));
  return (await webhookStatus(payload)).body.customStatus;
}

describe('HttpRaiseEventSingle', () => {
  it('raises a known event, with or without a payload, and answers 202 with the status URL', async () => {
    const { id, payload } = await startCounter();

    const res = await sendEvent('Counter', id, 'incr');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      instanceId: id,
      name: 'Counter',
      eventName: 'incr',
      raised: true,
      runtimeStatus: 'Running',
      statusQueryGetUri: payload.statusQueryGetUri,
    });
    expect(res.headers.get('location')).toBe(payload.statusQueryGetUri);
    expect(await valueOf(payload, { value: 1 })).toEqual({ value: 1 });

    expect((await sendEvent('Counter', id, 'set', '41')).status).toBe(202);
    expect(await valueOf(payload, { value: 41 })).toEqual({ value: 41 });
  });

  it('answers 404 listing the events it waits for when the name is unknown, and raises nothing', async () => {
    const { id, payload } = await startCounter();

    const res = await sendEvent('Counter', id, 'incrr');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: "Unknown event 'incrr' for Counter: it waits only for incr, decr, set, reset, stop.",
      code: 'unknownEvent',
      eventName: 'incrr',
      knownEvents: ['incr', 'decr', 'set', 'reset', 'stop'],
    });
    const status = await webhookStatus(payload, true);
    expect(status.body.historyEvents?.some((e) => e.EventType === 'EventRaised')).toBe(false);
  });

  it('knows each orchestrator’s own events', async () => {
    const res = await sendEvent('PeriodicJob', 'any-job', 'incr');
    expect(res).toMatchObject({ status: 404, body: { code: 'unknownEvent', knownEvents: ['stop'] } });
  });

  it('answers 400 for a payload the event does not take, and the value stays', async () => {
    const { id, payload } = await startCounter();

    const res = await sendEvent('Counter', id, 'set', '"abc"');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: `Invalid input for Counter event 'set': 'payload' must be a finite number (received string "abc").`,
      code: 'invalidInput',
      field: 'payload',
      expected: 'a finite number',
      received: 'string "abc"',
    });
    expect(await valueOf(payload, { value: 0 })).toEqual({ value: 0 });
  });

  it('answers 404 for an unknown instance and 409 for one that stopped', async () => {
    expect(await sendEvent('Counter', freshId('none'), 'incr')).toMatchObject({
      status: 404,
      body: { code: 'instanceNotFound' },
    });

    const { id } = await startCounter();
    expect((await stopSingle(host(), 'Counter', id, '?timeoutSeconds=0')).status).toBe(200);
    const res = await sendEvent('Counter', id, 'incr');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: `Instance '${id}' is Completed: it takes no more events (POST the route to start it again).`,
      code: 'instanceNotRunning',
      instanceId: id,
      name: 'Counter',
      runtimeStatus: 'Completed',
    });
  });
});
