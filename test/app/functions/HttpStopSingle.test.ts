jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry');

import { HttpStopSingle, POLL_INTERVAL_MS, TERMINATE_GRACE_MS, handleStop } from '../../../functions/HttpStopSingle';
import type { StopTiming } from '../../../functions/HttpStopSingle';
import { WITHOUT_INPUT } from '../../../lib/durableStatus';
import { AZURE_HTTP_LIMIT_SECONDS, MAX_STOP_TIMEOUT_SECONDS } from '../../../lib/queryParams';
import { registered } from '../../support/fakeFunctionsCore';
import { FakeDurableClient, managementPayload } from '../../support/fakeDurableClient';
import { headerOf, jsonOf, singletonRequest, testContext } from '../../support/httpInvocation';
import { withAppSetting } from '../../support/appSettings';

const ID = 'job-1';

/** A virtual clock: sleeping advances it, so waits cost no real time; `advance` stands for a slow backend call. */
function virtualTiming(): StopTiming & { slept: number[]; advance(ms: number): void } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await Promise.resolve();
    },
  };
}

/** The virtual time of every status read the handler makes. */
function recordReads(client: FakeDurableClient, timing: StopTiming): number[] {
  const reads: number[] = [];
  client.getStatusHook = () => reads.push(timing.now());
  return reads;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));

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

/** The 200 of a DELETE whose PeriodicJob completed with `output`. */
const completedJob = (output: unknown) => ({
  instanceId: ID,
  name: 'PeriodicJob',
  runtimeStatus: 'Completed',
  stopped: true,
  output,
});

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

  it('leaves resumePostUri out of the Suspended 409 when SINGLETON_MANAGEMENT_URLS is app', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'PeriodicJob', runtimeStatus: 'Suspended' });

    const { response, body } = await withAppSetting('SINGLETON_MANAGEMENT_URLS', 'app', () =>
      stop(client, 'PeriodicJob'),
    );

    expect(response.status).toBe(409);
    expect(body).toEqual({
      error: `Instance '${ID}' is Suspended and cannot stop until it is resumed: resume it and DELETE again, or DELETE with ?timeoutSeconds=N to terminate it after N seconds.`,
      code: 'instanceSuspended',
      instanceId: ID,
      name: 'PeriodicJob',
      runtimeStatus: 'Suspended',
    });
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
    expect(body).toEqual(completedJob({ iteration: 3 }));
    expect(client.terminated).toEqual([]);
    expect(timing.slept).toEqual([1000, 1000]);
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
    // Reads at 0 (after the raise) and 1 s; the terminate at the 1 s deadline; the read that sees it 1 s later.
    expect(timing.slept).toEqual([1000, 1000]);
  });

  it('reads the status at least 1 s apart and without the input while it waits', async () => {
    const client = running();
    const timing = virtualTiming();
    const reads = recordReads(client, timing);

    const { response } = await stop(client, 'PeriodicJob', { timeoutSeconds: '10' }, timing);

    expect(response.status).toBe(202);
    expect(POLL_INTERVAL_MS).toBeGreaterThanOrEqual(1000);
    // The ownership check and the read right after the raise, then one read a second until 10 s + the grace.
    expect(reads).toEqual([
      0, 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000, 13000, 14000, 15000,
    ]);
    expect(Math.min(...gaps(reads.slice(1)))).toBeGreaterThanOrEqual(POLL_INTERVAL_MS);
    expect(client.statusOptions.every((options) => options === WITHOUT_INPUT)).toBe(true);
  });

  it('keeps reads 1 s apart when each read takes time', async () => {
    const client = running();
    const timing = virtualTiming();
    const reads: number[] = [];
    client.getStatusHook = () => {
      reads.push(timing.now());
      timing.advance(300); // each read takes 0.3 s
    };

    await stop(client, 'PeriodicJob', { timeoutSeconds: '3' }, timing);

    expect(Math.min(...gaps(reads.slice(1)))).toBeGreaterThanOrEqual(POLL_INTERVAL_MS);
    expect(client.terminated).toHaveLength(1);
  });

  it('answers within the 230 s limit at the longest timeout, terminate fallback included, however slow the terminate', async () => {
    const client = running();
    const timing = virtualTiming();
    client.terminateHook = () => timing.advance(4_000);

    const { response, body } = await stop(
      client,
      'PeriodicJob',
      { timeoutSeconds: String(MAX_STOP_TIMEOUT_SECONDS) },
      timing,
    );

    expect(response.status).toBe(202);
    expect(body).toMatchObject({ terminating: true, reason: 'Graceful stop timed out after 200s' });
    expect(timing.now()).toBe(MAX_STOP_TIMEOUT_SECONDS * 1000 + TERMINATE_GRACE_MS);
    expect(timing.now()).toBeLessThan(AZURE_HTTP_LIMIT_SECONDS * 1000);
  });

  it('answers 400 above the longest timeout, saying why', async () => {
    const { response, body } = await stop(running(), 'PeriodicJob', { timeoutSeconds: '201' });
    expect(response.status).toBe(400);
    expect(body.error).toBe(
      "Invalid query parameter 'timeoutSeconds': expected an integer from 0 to 200 (received \"201\"). The wait and the terminate fallback after it must answer within Azure's 230-second HTTP limit.",
    );
  });

  // The extension answers a raise on a finished instance with 410, which the durable client reports as success.
  it.each([[{}], [{ timeoutSeconds: '10' }]])(
    'answers 200 stopped, not 202 stopping, when the instance completed before the stop was raised (%p)',
    async (query) => {
      const client = running();
      client.raiseEventHook = () => {
        client.with(ID, { name: 'PeriodicJob', runtimeStatus: 'Completed', output: { iteration: 7 } });
      };
      const timing = virtualTiming();

      const { response, body } = await stop(client, 'PeriodicJob', query, timing);

      expect(response.status).toBe(200);
      expect(body).toEqual(completedJob({ iteration: 7 }));
      expect(client.terminated).toEqual([]);
      expect(timing.slept).toEqual([]);
    },
  );

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

  it.each(['-1', '201', '230', '1.5', 'ten', ''])('answers 400 for timeoutSeconds=%p', async (value) => {
    const { response, body } = await stop(running(), 'PeriodicJob', { timeoutSeconds: value });
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ code: 'invalidQuery', field: 'timeoutSeconds', expected: 'an integer from 0 to 200' });
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
