/**
 * The start-token read-back: a `startNew` that returned is answered 202 only if the instance read back runs with this
 * request's token (on the Azure Storage provider a concurrent start can be accepted and still not be the one that runs).
 */
jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry');

import { HttpStartSingle, handleStart } from '../../../functions/HttpStartSingle';
import { isDuplicateStartError, statusFromDuplicateStartError } from '../../../lib/durableStatus';
import { START_TOKEN_FIELD, startTokenOf } from '../../../lib/startToken';
import { trackStartDecision } from '../../../lib/telemetry';
import { FakeDurableClient, legacyDuplicateStartError, managementPayload } from '../../support/fakeDurableClient';
import { TEST_TRACE_CONTEXT, jsonOf, singletonRequest, testContext } from '../../support/httpInvocation';
import type { RequestOptions } from '../../support/httpInvocation';

const ID = 'c-1';

function start(client: FakeDurableClient, options: RequestOptions = {}) {
  return handleStart(singletonRequest('POST', 'Counter', ID, options), testContext(HttpStartSingle), () => client);
}

/** After our startNew, another request's start wins the instance row (its input and token are the ones that run). */
function loseTheRaceTo(client: FakeDurableClient, value: number): void {
  client.getStatusHook = (id, call) => {
    if (call === 2) {
      client.instances.set(id, {
        name: 'Counter',
        runtimeStatus: 'Pending',
        input: { value, [START_TOKEN_FIELD]: 'other' },
      });
    }
  };
}

beforeEach(() => jest.clearAllMocks());

describe('HttpStartSingle read-back', () => {
  it('sends a fresh start token with every start and answers 202 when the instance runs with it', async () => {
    const client = new FakeDurableClient();
    const response = await start(client, { body: '{"value":3}' });

    expect(response.status).toBe(202);
    expect(client.started).toEqual([{ name: 'Counter', instanceId: ID, input: { value: 3 } }]);
    expect(client.startTokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(startTokenOf(client.instances.get(ID)?.input)).toBe(client.startTokens[0]);
    // One status read before the start, one after it.
    expect(client.getStatusCalls).toBe(2);
    expect(trackStartDecision).toHaveBeenCalledWith(
      { decision: 'started', instanceId: ID, name: 'Counter' },
      TEST_TRACE_CONTEXT,
    );
  });

  it('answers 409 when startNew returned but another start is the execution that runs', async () => {
    const client = new FakeDurableClient();
    loseTheRaceTo(client, 7);

    const response = await start(client, { body: '{"value":3}' });

    expect(response.status).toBe(409);
    expect(await jsonOf(response)).toMatchObject({ instanceId: ID, name: 'Counter', runtimeStatus: 'Pending' });
    expect(trackStartDecision).toHaveBeenCalledWith(
      expect.objectContaining({ decision: 'conflict' }),
      TEST_TRACE_CONTEXT,
    );
    expect(trackStartDecision).not.toHaveBeenCalledWith(expect.objectContaining({ decision: 'started' }));
  });

  it('answers 200 with the running instance for onConflict=useExisting when it lost the race', async () => {
    const client = new FakeDurableClient();
    loseTheRaceTo(client, 7);

    const response = await start(client, { query: { onConflict: 'useExisting' } });

    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({
      ...managementPayload(ID),
      name: 'Counter',
      runtimeStatus: 'Pending',
    });
  });

  it('recognises its own execution after it continued as new (the token is carried, the state moved on)', async () => {
    const client = new FakeDurableClient();
    client.getStatusHook = (id, call) => {
      if (call === 2) {
        const token = client.startTokens[0];
        client.instances.set(id, {
          name: 'Counter',
          runtimeStatus: 'Running',
          input: { value: 9, [START_TOKEN_FIELD]: token },
        });
      }
    };

    expect((await start(client)).status).toBe(202);
  });

  it('answers 202 without reading back when the test seam switches the read-back off (the race then shows)', async () => {
    const client = new FakeDurableClient();
    loseTheRaceTo(client, 7);
    process.env.SINGLETON_START_READBACK = 'off';
    try {
      expect((await start(client)).status).toBe(202);
      expect(client.getStatusCalls).toBe(1);
    } finally {
      delete process.env.SINGLETON_START_READBACK;
    }
  });
});

describe('recognising a refused duplicate start', () => {
  it('takes the 409 of extension 3.19.0 and the 500 with OrchestrationAlreadyExistsException of older versions', () => {
    const current = new Error(
      'The operation failed with an unexpected status code: 409. Details: {"Message":"An Orchestration instance with the status Pending already exists."}',
    );
    expect(isDuplicateStartError(current)).toBe(true);
    expect(statusFromDuplicateStartError(current)).toBe('Pending');
    expect(isDuplicateStartError(legacyDuplicateStartError('Running'))).toBe(true);
    expect(statusFromDuplicateStartError(legacyDuplicateStartError('Running'))).toBe('Running');
  });

  it('does not take any other error that happens to say "already exists"', () => {
    for (const message of [
      'The operation failed with an unexpected status code: 500. Details: {"Message":"The task hub already exists."}',
      'The operation failed with an unexpected status code: 500. Details: {"ExceptionType":"System.Exception","ExceptionMessage":"An Orchestration instance with the status Running already exists."}',
      'The operation failed with an unexpected status code: 400. Details: {"Message":"An Orchestration instance with the status Running already exists."}',
      'connect ECONNREFUSED: a blob already exists',
    ]) {
      expect(isDuplicateStartError(new Error(message))).toBe(false);
    }
  });
});
