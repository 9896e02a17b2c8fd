jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry');

import { HttpStartSingle, handleStart } from '../../../functions/HttpStartSingle';
import { trackStartDecision, trackSystemError } from '../../../lib/telemetry';
import { FakeDurableClient } from '../../support/fakeDurableClient';
import { TEST_TRACE_CONTEXT, headerOf, jsonOf, singletonRequest, testContext } from '../../support/httpInvocation';
import type { RequestOptions } from '../../support/httpInvocation';

const ONLY = 'it must contain only letters, digits and - _ . ~ : @; found ';

const ID = 'job-1';

async function start(functionName: string, id = ID, options: RequestOptions = {}, client = new FakeDurableClient()) {
  const response = await handleStart(
    singletonRequest('POST', functionName, id, options),
    testContext(HttpStartSingle),
    () => client,
  );
  return { response, body: await jsonOf(response), client };
}

beforeEach(() => jest.clearAllMocks());

describe('HttpStartSingle rejections', () => {
  it('answers 404 listing the known orchestrators for an unknown functionName', async () => {
    const { response, body, client } = await start('Nope');

    expect(response.status).toBe(404);
    expect(body).toEqual({
      error: "Unknown orchestrator 'Nope'. Known orchestrators: Counter, PeriodicJob, HistoryJanitor.",
      code: 'unknownOrchestrator',
      knownOrchestrators: ['Counter', 'PeriodicJob', 'HistoryJanitor'],
    });
    expect(client.started).toEqual([]);
    expect(trackStartDecision).toHaveBeenCalledWith(
      {
        decision: 'rejected',
        instanceId: ID,
        name: 'Nope',
        reason: 'unknownOrchestrator',
      },
      TEST_TRACE_CONTEXT,
    );
  });

  it('does not take inherited object properties for orchestrator names', async () => {
    expect((await start('constructor')).response.status).toBe(404);
  });

  it.each([
    ['', 'Invalid instanceId: it must not be empty.'],
    ['x'.repeat(101), 'Invalid instanceId: it must be at most 100 characters long (received 101).'],
    ['@counter', "Invalid instanceId: it must not start with '@'."],
    ['a/b', `Invalid instanceId: ${ONLY}'/' at position 1.`],
    ['a\\b', `Invalid instanceId: ${ONLY}'\\' at position 1.`],
    ['a#b', `Invalid instanceId: ${ONLY}'#' at position 1.`],
    ['a?b', `Invalid instanceId: ${ONLY}'?' at position 1.`],
    ['a$&b', `Invalid instanceId: ${ONLY}'$' at position 1.`],
    ['a+b', `Invalid instanceId: ${ONLY}'+' at position 1.`],
    ['a b', `Invalid instanceId: ${ONLY}' ' at position 1.`],
    ['a\u0007b', `Invalid instanceId: ${ONLY}U+0007 at position 1.`],
    ['caf\u00e9', `Invalid instanceId: ${ONLY}U+00E9 at position 3.`],
    ['..', "Invalid instanceId: it must not be '.' or '..'."],
  ])('answers 400 for the instanceId %p', async (id, error) => {
    const { response, body, client } = await start('Counter', id);

    expect(response.status).toBe(400);
    expect(body).toEqual({ error, code: 'invalidInstanceId', field: 'instanceId' });
    expect(client.started).toEqual([]);
    expect(trackStartDecision).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'invalidInstanceId' }),
      TEST_TRACE_CONTEXT,
    );
  });

  it('accepts an instanceId of exactly 100 allowed characters', async () => {
    expect((await start('Counter', 'aZ0-_.~:@x'.repeat(10))).response.status).toBe(202);
  });

  it('answers 400 for a body that is not valid JSON', async () => {
    const { response, body, client } = await start('Counter', ID, { body: '{"value":' });
    expect(response.status).toBe(400);
    expect(body.code).toBe('invalidJson');
    expect(body.error).toMatch(/^Invalid JSON body: /);
    expect(client.started).toEqual([]);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const big = JSON.stringify({ payload: 'x'.repeat(64 * 1024) });
    const { response, body, client } = await start('PeriodicJob', ID, { body: big });
    expect(response.status).toBe(413);
    expect(body).toEqual({
      error: `Request body too large: at most 65536 bytes are accepted (received ${big.length}).`,
      code: 'payloadTooLarge',
      maxBytes: 65536,
    });
    expect(client.started).toEqual([]);
  });

  it('answers 413 from the declared Content-Length before reading the body', async () => {
    const { response } = await start('Counter', ID, { body: '{}', headers: { 'content-length': '70000' } });
    expect(response.status).toBe(413);
  });

  it('answers 415 for a body with a non-JSON content type', async () => {
    const { response, body, client } = await start('Counter', ID, {
      body: 'value=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(body).toEqual({
      error: "Unsupported content type 'application/x-www-form-urlencoded': the body must be JSON (application/json).",
      code: 'unsupportedMediaType',
    });
    expect(client.started).toEqual([]);
  });

  it('accepts JSON media types with parameters or a +json suffix, and an empty body with any content type', async () => {
    expect(
      (await start('Counter', 'a', { body: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } }))
        .response.status,
    ).toBe(202);
    expect(
      (await start('Counter', 'b', { body: '{}', headers: { 'content-type': 'application/merge-patch+json' } }))
        .response.status,
    ).toBe(202);
    expect((await start('Counter', 'c', { body: '', headers: { 'content-type': 'text/plain' } })).response.status).toBe(
      202,
    );
  });

  it.each([
    [
      '{"intervalSeconds":0}',
      "Invalid input for PeriodicJob: 'intervalSeconds' must be an integer from 1 to 86400 (received number 0).",
      'intervalSeconds',
    ],
    [
      '{"intervalSeconds":86401}',
      "Invalid input for PeriodicJob: 'intervalSeconds' must be an integer from 1 to 86400 (received number 86401).",
      'intervalSeconds',
    ],
    [
      '{"intervalSeconds":1.5}',
      "Invalid input for PeriodicJob: 'intervalSeconds' must be an integer from 1 to 86400 (received number 1.5).",
      'intervalSeconds',
    ],
    [
      '{"intervalSeconds":"60"}',
      'Invalid input for PeriodicJob: \'intervalSeconds\' must be an integer from 1 to 86400 (received string "60").',
      'intervalSeconds',
    ],
    ['[1]', "Invalid input for PeriodicJob: '(body)' must be a JSON object (received array).", '(body)'],
  ])('answers 400 naming the field for PeriodicJob input %s', async (json, error, field) => {
    const { response, body, client } = await start('PeriodicJob', ID, { body: json });
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ error, code: 'invalidInput', field });
    expect(client.started).toEqual([]);
  });

  it('answers 400 for an unknown input property, and for bad Counter and HistoryJanitor inputs', async () => {
    const typo = await start('PeriodicJob', ID, { body: '{"intervalSecond":5}' });
    expect(typo.response.status).toBe(400);
    expect(typo.body.error).toBe(
      "Invalid input for PeriodicJob: unknown property 'intervalSecond' (expected one of intervalSeconds, payload).",
    );
    expect((await start('Counter', ID, { body: '{"value":"1"}' })).body.field).toBe('value');
    expect((await start('HistoryJanitor', ID, { body: '{"olderThanDays":-1}' })).body.field).toBe('olderThanDays');
    expect((await start('HistoryJanitor', ID, { body: '{"windowMinutes":0}' })).body.field).toBe('windowMinutes');
  });

  it('answers 400 for an unknown onConflict value', async () => {
    const { response, body } = await start('Counter', ID, { query: { onConflict: 'replace' } });
    expect(response.status).toBe(400);
    expect(body).toEqual({
      error: "Invalid query parameter 'onConflict': expected 'fail' or 'useExisting' (received \"replace\").",
      code: 'invalidQuery',
      field: 'onConflict',
      expected: "'fail' or 'useExisting'",
      received: 'replace',
    });
  });

  it('answers 503 with Retry-After when the status cannot be read, and reports a system error', async () => {
    const client = new FakeDurableClient();
    client.getStatusHook = () => {
      throw new Error('The operation failed with an unexpected status code: 500. Details: "storage down"');
    };

    const { response, body } = await start('Counter', ID, {}, client);

    expect(response.status).toBe(503);
    expect(headerOf(response, 'Retry-After')).toBe('5');
    expect(body).toEqual({
      error: 'The durable backend is unavailable or failed; retry later.',
      code: 'backendUnavailable',
      instanceId: ID,
      name: 'Counter',
    });
    expect(client.started).toEqual([]);
    expect(trackSystemError).toHaveBeenCalledWith(
      expect.any(Error),
      { instanceId: ID, name: 'Counter' },
      TEST_TRACE_CONTEXT,
    );
    // The message names the failure; what the backend sent stays in the cause, out of logs and telemetry text.
    const reported = jest.mocked(trackSystemError).mock.calls[0]![0];
    expect(reported.message).toBe(
      `Could not read the status of instance '${ID}': The operation failed with an unexpected status code: 500.`,
    );
    expect((reported.cause as Error).message).toContain('storage down');
    expect(trackStartDecision).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'backendUnavailable' }),
      TEST_TRACE_CONTEXT,
    );
  });

  it('answers 503 when startNew fails for any reason other than a duplicate', async () => {
    const client = new FakeDurableClient();
    client.startNewHook = () => {
      throw new Error('The operation failed with an unexpected status code: 500. Details: {"Message":"boom"}');
    };
    const { response } = await start('Counter', ID, {}, client);
    expect(response.status).toBe(503);
    expect(headerOf(response, 'Retry-After')).toBe('5');
    expect(trackSystemError).toHaveBeenCalledTimes(1);
  });

  it('never asks for the client when the request is rejected at the boundary', async () => {
    const getClient = jest.fn(() => new FakeDurableClient());
    const response = await handleStart(singletonRequest('POST', 'Nope', ID), testContext(HttpStartSingle), getClient);
    expect(response.status).toBe(404);
    expect(getClient).not.toHaveBeenCalled();
  });
});
