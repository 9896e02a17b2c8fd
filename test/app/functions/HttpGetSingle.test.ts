jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry');

import { HttpGetSingle, handleGet, httpGetSingle } from '../../../functions/HttpGetSingle';
import { trackSystemError } from '../../../lib/telemetry';
import { registered } from '../../support/fakeFunctionsCore';
import { FakeDurableClient } from '../../support/fakeDurableClient';
import { headerOf, jsonOf, singletonRequest, testContext } from '../../support/httpInvocation';

const ID = 'counter-1';

async function get(client: FakeDurableClient, functionName: string, id = ID) {
  const response = await handleGet(singletonRequest('GET', functionName, id), testContext(HttpGetSingle), () => client);
  return { response, body: await jsonOf(response) };
}

beforeEach(() => jest.clearAllMocks());

describe('HttpGetSingle', () => {
  it('is registered as GET on the singleton route with function-level auth', () => {
    const bindings = Object.values(registered(HttpGetSingle).metadata.bindings) as any[];
    expect(bindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'httpTrigger',
          authLevel: 'function',
          methods: ['GET'],
          route: 'orchestrators/{functionName}/{instanceId}',
        }),
        expect.objectContaining({ type: 'durableClient' }),
      ]),
    );
  });

  it('answers 200 with the instance status', async () => {
    const client = new FakeDurableClient().with(ID, {
      name: 'Counter',
      runtimeStatus: 'Running',
      input: { value: 0 },
      customStatus: { value: 4 },
    });

    const { response, body } = await get(client, 'Counter');

    expect(response.status).toBe(200);
    expect(body).toEqual({
      name: 'Counter',
      instanceId: ID,
      runtimeStatus: 'Running',
      state: { value: 0 },
      customStatus: { value: 4 },
      output: null,
      createdTime: '2026-01-01T00:00:00.000Z',
      lastUpdatedTime: '2026-01-01T00:00:06.000Z',
    });
  });

  it('answers 404 for an unknown instance', async () => {
    const { response, body } = await get(new FakeDurableClient(), 'Counter');
    expect(response.status).toBe(404);
    expect(body).toEqual({ error: "No instance with ID 'counter-1' found.", code: 'instanceNotFound', instanceId: ID });
  });

  it('answers 409 when the instance belongs to another orchestrator', async () => {
    const client = new FakeDurableClient().with(ID, { name: 'Counter', runtimeStatus: 'Running' });
    const { response, body } = await get(client, 'PeriodicJob');
    expect(response.status).toBe(409);
    expect(body).toEqual({
      error: "Instance 'counter-1' belongs to orchestrator 'Counter', not 'PeriodicJob'.",
      code: 'wrongOrchestrator',
      instanceId: ID,
      name: 'Counter',
      expectedName: 'PeriodicJob',
      runtimeStatus: 'Running',
    });
  });

  it('answers 404 for an unknown orchestrator and 400 for an invalid instanceId', async () => {
    expect((await get(new FakeDurableClient(), 'Nope')).response.status).toBe(404);
    expect((await get(new FakeDurableClient(), 'Counter', '@x')).response.status).toBe(400);
  });

  it('answers 503 when the backend fails', async () => {
    const client = new FakeDurableClient();
    client.getStatusHook = () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:17071');
    };
    const { response, body } = await get(client, 'Counter');
    expect(response.status).toBe(503);
    expect(headerOf(response, 'Retry-After')).toBe('5');
    expect(body.code).toBe('backendUnavailable');
    expect(trackSystemError).toHaveBeenCalledTimes(1);
  });
});

describe('httpGetSingle (registered handler)', () => {
  it('answers a JSON 500 rather than crashing when the durable client binding is missing', async () => {
    const response = await httpGetSingle(singletonRequest('GET', 'Counter', ID), testContext(HttpGetSingle));
    expect(response.status).toBe(500);
    expect(await jsonOf(response)).toEqual({
      error: 'Internal error.',
      code: 'internal',
      instanceId: ID,
      name: 'Counter',
    });
  });
});
