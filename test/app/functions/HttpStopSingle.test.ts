jest.mock('@azure/functions-core', () => jest.requireActual('../../fixtures/appCore').fakeCore, { virtual: true });
jest.mock('../../../lib/telemetry');

import { HttpStopSingle, handleStop } from '../../../functions/HttpStopSingle';
import type { StopTiming } from '../../../functions/HttpStopSingle';
import { registered } from '../../fixtures/appCore';
import { FakeDurableClient, managementPayload } from '../../fixtures/appClient';
import { headerOf, jsonOf, singletonRequest, testContext } from '../../fixtures/appHttp';

const ID = 'job-1';

/** A virtual clock: sleeping advances it, so waits cost no real time. */
function virtualTiming(): StopTiming & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await Promise.resolve();
    },
  };
}

async function stop(
  client: FakeDurableClient,
  functionName: string,
  query: Record<string, string> = {},
  timing = virtualTiming(),
) {
  const response = await handleStop(
    singletonRequest('DELETE', functionName, ID, { query }),
    testContext(HttpStopSingle),
    () => client,
    timing,
  );
  return { response, body: await jsonOf(response) };
}

const running = () => new FakeDurableClient().with(ID, { name: 'PeriodicJob', runtimeStatus: 'Running' });

describe('HttpStopSingle', () => {
  it('is registered as DELETE on the singleton route with function-level auth', () => {
    const bindings = Object.values(registered(HttpStopSingle).metadata.bindings) as any[];
    expect(bindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'httpTrigger',
          authLevel: 'function',
          methods: ['DELETE'],
          route: 'orchestrators/{functionName}/{instanceId}',
        }),
        expect.objectContaining({ type: 'durableClient' }),
      ]),
    );
  });

  it('answers 409 for a Suspended instance without timeoutSeconds, says what to do and raises nothing', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'PeriodicJob', runtimeStatus: 'Suspended' });

    const { response, body } = await stop(client, 'PeriodicJob');

    expect(response.status).toBe(409);
    expect(body).toEqual({
      error: `Instance '${ID}' is Suspended and cannot stop until it is resumed: resume it (resumePostUri) and DELETE again, or DELETE with ?timeoutSeconds=N to terminate it after N seconds.`,
      code: 'instanceSuspended',
      instanceId: ID,
      name: 'PeriodicJob',
      runtimeStatus: 'Suspended',
      resumePostUri: managementPayload(ID).resumePostUri,
    });
    expect(client.raised).toEqual([]);
  });

  it('raises stop and answers 202 while stopping', async () => {
    const client = running();

    const { response, body } = await stop(client, 'PeriodicJob');

    expect(response.status).toBe(202);
    expect(headerOf(response, 'Location')).toBe(managementPayload(ID).statusQueryGetUri);
    expect(body).toEqual({
      instanceId: ID,
      name: 'PeriodicJob',
      runtimeStatus: 'Running',
      stopping: true,
      statusQueryGetUri: managementPayload(ID).statusQueryGetUri,
    });
    expect(client.raised).toEqual([{ instanceId: ID, eventName: 'stop', data: null }]);
  });

  it('raises stop on a Pending instance too (the event waits for it)', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: 'Pending' });
    expect((await stop(client, 'Counter')).response.status).toBe(202);
    expect(client.raised).toHaveLength(1);
  });

  it('with timeoutSeconds, answers 200 once the instance completed', async () => {
    const client = running();
    client.raiseEventHook = () => {
      client.getStatusHook = (_id, call) => {
        if (call >= 4) client.with(ID, { name: 'PeriodicJob', runtimeStatus: 'Completed', output: { iteration: 3 } });
      };
    };
    const timing = virtualTiming();

    const { response, body } = await stop(client, 'PeriodicJob', { timeoutSeconds: '10' }, timing);

    expect(response.status).toBe(200);
    expect(body).toEqual({
      instanceId: ID,
      name: 'PeriodicJob',
      runtimeStatus: 'Completed',
      stopped: true,
      output: { iteration: 3 },
    });
    expect(client.terminated).toEqual([]);
    expect(timing.slept).toEqual([250, 250]);
  });

  it('terminates as the fallback when the deadline passes, and says so', async () => {
    const client = running();
    client.terminateHook = () => {
      client.with(ID, { name: 'PeriodicJob', runtimeStatus: 'Terminated', output: 'Graceful stop timed out after 1s' });
    };
    const timing = virtualTiming();

    const { response, body } = await stop(client, 'PeriodicJob', { timeoutSeconds: '1' }, timing);

    expect(response.status).toBe(200);
    expect(body).toEqual({
      instanceId: ID,
      name: 'PeriodicJob',
      runtimeStatus: 'Terminated',
      terminated: true,
      reason: 'Graceful stop timed out after 1s',
    });
    expect(client.terminated).toEqual([{ instanceId: ID, reason: 'Graceful stop timed out after 1s' }]);
    expect(timing.slept.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('answers 202 terminating when the instance does not show Terminated in time', async () => {
    const client = running();
    const { response, body } = await stop(client, 'PeriodicJob', { timeoutSeconds: '0' });
    expect(response.status).toBe(202);
    expect(body).toMatchObject({
      instanceId: ID,
      runtimeStatus: 'Running',
      terminating: true,
      reason: 'Graceful stop timed out after 0s',
    });
    expect(headerOf(response, 'Location')).toBe(managementPayload(ID).statusQueryGetUri);
  });

  it.each(['Completed', 'Failed', 'Terminated', 'Canceled'])(
    'answers 200 for an instance that is already %s, without raising anything',
    async (runtimeStatus) => {
      const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus, output: { value: 2 } });
      const { response, body } = await stop(client, 'Counter');
      expect(response.status).toBe(200);
      expect(body).toEqual({ instanceId: ID, name: 'Counter', runtimeStatus, stopped: true, output: { value: 2 } });
      expect(client.raised).toEqual([]);
    },
  );

  it('answers 404 for an unknown instance', async () => {
    const { response, body } = await stop(new FakeDurableClient(), 'Counter');
    expect(response.status).toBe(404);
    expect(body).toEqual({ error: "No instance with ID 'job-1' found.", code: 'instanceNotFound', instanceId: ID });
  });

  it('answers 404 when the instance disappears before the event is raised', async () => {
    const client = running();
    client.raiseEventHook = () => client.instances.clear();
    expect((await stop(client, 'PeriodicJob')).response.status).toBe(404);
  });

  it('answers 409 and leaves the instance alone when it belongs to another orchestrator', async () => {
    const client = running();
    const { response, body } = await stop(client, 'Counter');
    expect(response.status).toBe(409);
    expect(body).toMatchObject({ instanceId: ID, name: 'PeriodicJob', expectedName: 'Counter' });
    expect(client.raised).toEqual([]);
  });

  it.each(['-1', '231', '1.5', 'ten', ''])('answers 400 for timeoutSeconds=%p', async (value) => {
    const { response, body } = await stop(running(), 'PeriodicJob', { timeoutSeconds: value });
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ code: 'invalidQuery', field: 'timeoutSeconds', expected: 'an integer from 0 to 230' });
  });

  it('answers 503 when raising the event fails in the backend', async () => {
    const client = running();
    client.raiseEventHook = () => {
      throw new Error('The operation failed with an unexpected status code: 500. Details: ""');
    };
    const { response } = await stop(client, 'PeriodicJob');
    expect(response.status).toBe(503);
    expect(headerOf(response, 'Retry-After')).toBe('5');
  });
});
