/**
 * HttpStartSingle rejects bad requests over real HTTP (400 / 413 / 415) and starts nothing for them. This file's host
 * only ever receives rejected requests, so its instance list must stay empty.
 */
import { freshId, getSingle, listInstances, request, singletonUrl, useHost } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

const ONLY = 'it must contain only letters, digits and - _ . ~ : @; found ';

/**
 * Instance IDs the app must refuse, as they appear in the request path (percent-encoded where a raw character would
 * not reach the route: `#`/`?` end the path, `\\` becomes `/` in URLs, `/` splits segments). The empty ID is not
 * routable at all (the route needs both segments), so it is covered by the unit tests only.
 */
const INVALID_IDS: Array<[string, string, string]> = [
  ['longer than 100 characters', 'a'.repeat(101), 'it must be at most 100 characters long (received 101).'],
  ['starting with @', '@singleton', "it must not start with '@'."],
  ['containing #', 'a%23b', `${ONLY}'#' at position 1.`],
  ['containing ?', 'a%3Fb', `${ONLY}'?' at position 1.`],
  ['containing a backslash', 'a%5Cb', `${ONLY}'\\' at position 1.`],
  ['containing /', 'a%2Fb', `${ONLY}'/' at position 1.`],
  ['containing $', 'a$&b', `${ONLY}'$' at position 1.`],
  ['containing +', 'a+b', `${ONLY}'+' at position 1.`],
  ['containing a space', 'a%20b', `${ONLY}' ' at position 1.`],
  ['containing a control character', 'a%01b', `${ONLY}U+0001 at position 1.`],
  ['containing a non-ASCII character', 'caf%C3%A9', `${ONLY}U+00E9 at position 3.`],
];

describe('HttpStartSingle request validation', () => {
  it.each(INVALID_IDS)('answers 400 for an instance ID %s', async (_what, rawId, reason) => {
    const res = await request(singletonUrl(host(), 'Counter', rawId), { method: 'POST' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: `Invalid instanceId: ${reason}`,
      code: 'invalidInstanceId',
      field: 'instanceId',
    });
  });

  it('treats a 100-character ID as valid and a 101-character one as invalid', async () => {
    // Checked with GET so that this file starts nothing: 100 characters is a valid, absent ID (404), 101 is not (400).
    expect((await getSingle(host(), 'Counter', 'b'.repeat(100))).status).toBe(404);
    expect((await getSingle(host(), 'Counter', 'b'.repeat(101))).status).toBe(400);
  });

  it('does not route a start without an instance ID', async () => {
    const res = await request(`${host().url}/api/orchestrators/Counter/`, { method: 'POST' });
    expect(res.status).toBe(404);
  });

  it('answers 400 for a body that is not valid JSON', async () => {
    const id = freshId('badjson');
    const res = await request(singletonUrl(host(), 'Counter', id), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"value": 1',
    });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidJson');
    expect(res.body.error).toMatch(/^Invalid JSON body: /);
    expect((await getSingle(host(), 'Counter', id)).status).toBe(404);
  });

  it('answers 400 for a JSON input the orchestrator does not accept, naming the field', async () => {
    const id = freshId('badinput');
    const res = await request(singletonUrl(host(), 'PeriodicJob', id), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ intervalSeconds: 0 }),
    });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: "Invalid input for PeriodicJob: 'intervalSeconds' must be an integer from 1 to 86400 (received number 0).",
      code: 'invalidInput',
      field: 'intervalSeconds',
      expected: 'an integer from 1 to 86400',
      received: 'number 0',
    });
    expect((await getSingle(host(), 'PeriodicJob', id)).status).toBe(404);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const id = freshId('big');
    const body = JSON.stringify({ intervalSeconds: 60, payload: 'x'.repeat(64 * 1024) });
    const res = await request(singletonUrl(host(), 'PeriodicJob', id), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: `Request body too large: at most 65536 bytes are accepted (received ${Buffer.byteLength(body)}).`,
      code: 'payloadTooLarge',
      maxBytes: 65536,
    });
    expect((await getSingle(host(), 'PeriodicJob', id)).status).toBe(404);
  });

  it('answers 415 for a body with a non-JSON content type', async () => {
    const id = freshId('text');
    const res = await request(singletonUrl(host(), 'Counter', id), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"value": 1}',
    });

    expect(res.status).toBe(415);
    expect(res.body).toEqual({
      error: "Unsupported content type 'text/plain': the body must be JSON (application/json).",
      code: 'unsupportedMediaType',
    });
    expect((await getSingle(host(), 'Counter', id)).status).toBe(404);
  });

  it('has started no instance for any of the rejected requests', async () => {
    expect(await listInstances(host())).toEqual([]);
  });
});
