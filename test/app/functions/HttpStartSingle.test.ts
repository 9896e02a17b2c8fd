jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry');

import { HttpStartSingle, handleStart } from '../../../functions/HttpStartSingle';
import { trackStartDecision, trackSystemError } from '../../../lib/telemetry';
import { registered } from '../../support/fakeFunctionsCore';
import { FakeDurableClient, duplicateStartError, managementPayload } from '../../support/fakeDurableClient';
import { TEST_TRACE_CONTEXT, headerOf, jsonOf, singletonRequest, testContext } from '../../support/httpInvocation';
import type { RequestOptions } from '../../support/httpInvocation';
import { withAppSetting } from '../../support/appSettings';

const ID = 'job-1';

function start(client: FakeDurableClient, functionName: string, id = ID, options: RequestOptions = {}) {
  return handleStart(singletonRequest('POST', functionName, id, options), testContext(HttpStartSingle), () => client);
}

beforeEach(() => jest.clearAllMocks());

describe('HttpStartSingle', () => {
  it('is registered as POST on the singleton route with function-level auth and a durable client input', () => {
    const bindings = Object.values(registered(HttpStartSingle).metadata.bindings) as any[];
    expect(bindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'httpTrigger',
          direction: 'in',
          authLevel: 'function',
          methods: ['POST'],
          route: 'orchestrators/{functionName}/{instanceId}',
        }),
        expect.objectContaining({ type: 'durableClient', direction: 'in' }),
      ]),
    );
  });

  it('starts a new instance and answers 202 with the check-status response', async () => {
    const client = new FakeDurableClient();

    const response = await start(client, 'PeriodicJob', ID, { body: '{"intervalSeconds":5}' });

    expect(response.status).toBe(202);
    expect(headerOf(response, 'Location')).toBe(managementPayload(ID).statusQueryGetUri);
    expect(headerOf(response, 'Retry-After')).toBe('10');
    expect(await jsonOf(response)).toEqual(managementPayload(ID));
    expect(client.started).toEqual([{ name: 'PeriodicJob', instanceId: ID, input: { intervalSeconds: 5 } }]);
    expect(trackStartDecision).toHaveBeenCalledWith(
      { decision: 'started', instanceId: ID, name: 'PeriodicJob' },
      TEST_TRACE_CONTEXT,
    );
  });

  it("answers with the app's own URLs only when SINGLETON_MANAGEMENT_URLS is app", async () => {
    const client = new FakeDurableClient();

    const response = await withAppSetting('SINGLETON_MANAGEMENT_URLS', 'app', () => start(client, 'Counter'));

    const route = `http://localhost:7071/api/orchestrators/Counter/${ID}`;
    expect(response.status).toBe(202);
    expect(headerOf(response, 'Location')).toBe(route);
    expect(await jsonOf(response)).toEqual({
      id: ID,
      statusQueryGetUri: route,
      sendEventPostUri: `${route}/events/{eventName}`,
      stopDeleteUri: route,
    });
    expect(JSON.stringify(await jsonOf(response))).not.toContain('code=');
  });

  it('starts with the defaults applied when the body is empty', async () => {
    const client = new FakeDurableClient();
    expect((await start(client, 'HistoryJanitor')).status).toBe(202);
    expect((await start(client, 'Counter', 'c-1')).status).toBe(202);
    expect(client.started.map((s) => s.input)).toEqual([
      { olderThanDays: 30, intervalSeconds: 86_400, windowMinutes: 60, lookbackDays: 30 },
      { value: 0 },
    ]);
  });

  it.each(['Completed', 'Failed', 'Terminated', 'Canceled'])(
    'replaces a %s instance, answers 202 and says it restarted',
    async (previousStatus) => {
      const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: previousStatus });

      const response = await start(client, 'Counter', ID, { body: '{"value":3}' });

      expect(response.status).toBe(202);
      expect(headerOf(response, 'Location')).toBe(managementPayload(ID).statusQueryGetUri);
      expect(headerOf(response, 'Retry-After')).toBe('10');
      expect(await jsonOf(response)).toEqual({
        ...managementPayload(ID),
        restarted: { previousStatus, previousName: 'Counter' },
      });
      expect(client.started).toEqual([{ name: 'Counter', instanceId: ID, input: { value: 3 } }]);
      expect(trackStartDecision).toHaveBeenCalledWith(
        {
          decision: 'restarted',
          instanceId: ID,
          name: 'Counter',
          previousStatus,
        },
        TEST_TRACE_CONTEXT,
      );
    },
  );

  it('replaces a terminal instance of another orchestrator', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: 'Completed' });
    const response = await start(client, 'PeriodicJob');
    expect(response.status).toBe(202);
    expect(client.started).toHaveLength(1);
  });

  it.each(['Pending', 'Running', 'ContinuedAsNew', 'Suspended'])(
    'answers 409 without starting anything when the instance is %s',
    async (runtimeStatus) => {
      const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus });

      const response = await start(client, 'Counter');

      expect(response.status).toBe(409);
      expect(await jsonOf(response)).toEqual({
        error: "An instance with ID 'job-1' already exists.",
        code: 'instanceExists',
        instanceId: ID,
        name: 'Counter',
        runtimeStatus,
      });
      expect(client.started).toEqual([]);
      expect(trackStartDecision).toHaveBeenCalledWith(
        {
          decision: 'conflict',
          instanceId: ID,
          name: 'Counter',
          runtimeStatus,
        },
        TEST_TRACE_CONTEXT,
      );
    },
  );

  it('answers 409 naming the other orchestrator when an active instance of it has the ID', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: 'Running' });

    const response = await start(client, 'PeriodicJob', ID, { query: { onConflict: 'useExisting' } });

    expect(response.status).toBe(409);
    expect(await jsonOf(response)).toMatchObject({ instanceId: ID, name: 'Counter', runtimeStatus: 'Running' });
  });

  it('answers 409 when the backend refuses a start that raced past the pre-check', async () => {
    const client = new FakeDurableClient();
    client.startNewHook = () => {
      client.with(ID, { name: 'Counter', runtimeStatus: 'Running' });
      throw duplicateStartError('Pending');
    };

    const response = await start(client, 'Counter');

    expect(response.status).toBe(409);
    expect(await jsonOf(response)).toEqual({
      error: "An instance with ID 'job-1' already exists.",
      code: 'instanceExists',
      instanceId: ID,
      name: 'Counter',
      runtimeStatus: 'Running',
    });
    expect(trackStartDecision).toHaveBeenCalledWith(
      expect.objectContaining({ decision: 'conflict' }),
      TEST_TRACE_CONTEXT,
    );
    expect(trackSystemError).not.toHaveBeenCalled();
  });

  it('takes the runtime status from the refusal when the instance cannot be re-read', async () => {
    const client = new FakeDurableClient();
    client.startNewHook = () => {
      throw duplicateStartError('Pending');
    };
    const response = await start(client, 'Counter');
    expect(response.status).toBe(409);
    expect(await jsonOf(response)).toMatchObject({ runtimeStatus: 'Pending', name: 'Counter' });
  });

  it('with onConflict=useExisting answers 200 with the running instance management payload', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: 'Running' });

    const response = await start(client, 'Counter', ID, { query: { onConflict: 'useExisting' } });

    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ ...managementPayload(ID), name: 'Counter', runtimeStatus: 'Running' });
    expect(client.started).toEqual([]);
    expect(trackStartDecision).toHaveBeenCalledWith(
      {
        decision: 'existing',
        instanceId: ID,
        name: 'Counter',
        runtimeStatus: 'Running',
      },
      TEST_TRACE_CONTEXT,
    );
  });

  it('with onConflict=useExisting answers 200 when it loses the start race', async () => {
    const client = new FakeDurableClient();
    client.startNewHook = () => {
      client.with(ID, { name: 'Counter', runtimeStatus: 'Pending' });
      throw duplicateStartError('Pending');
    };
    const response = await start(client, 'Counter', ID, { query: { onConflict: 'useExisting' } });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ id: ID, runtimeStatus: 'Pending' });
  });

  it('with onConflict=fail behaves as the default', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: 'Running' });
    expect((await start(client, 'Counter', ID, { query: { onConflict: 'fail' } })).status).toBe(409);
  });
});
