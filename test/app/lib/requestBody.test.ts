import { HttpRequest } from '@azure/functions';
import { isJsonMediaType, readJsonBody } from '../../../lib/requestBody';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

// A string body makes fetch's Request add `text/plain;charset=UTF-8`; byte bodies model a request without a type.
function post(body: string | Uint8Array | undefined, headers: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/x',
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? { string: body } : { bytes: body } }),
  });
}

describe('readJsonBody', () => {
  it('treats an absent or empty body as no input, whatever the content type', async () => {
    await expect(readJsonBody(post(undefined))).resolves.toEqual({ present: false });
    await expect(readJsonBody(post('', { 'content-type': 'text/plain' }))).resolves.toEqual({ present: false });
  });

  it('parses JSON, including without a content type', async () => {
    await expect(readJsonBody(post('{"a":1}', { 'content-type': 'application/json' }))).resolves.toEqual({
      present: true,
      value: { a: 1 },
    });
    await expect(readJsonBody(post(bytes('null')))).resolves.toEqual({ present: true, value: null });
    await expect(readJsonBody(post(bytes('"s"')))).resolves.toEqual({ present: true, value: 's' });
  });

  it('refuses a non-JSON content type with 415', async () => {
    await expect(readJsonBody(post('a', { 'content-type': 'text/plain' }))).rejects.toMatchObject({
      status: 415,
      code: 'unsupportedMediaType',
    });
  });

  it('refuses more than 64 KiB with 413, counting bytes not characters', async () => {
    const ok = '"' + 'x'.repeat(64 * 1024 - 2) + '"';
    await expect(readJsonBody(post(bytes(ok)))).resolves.toMatchObject({ present: true });
    const multiByte = '"' + '\u00e9'.repeat(32 * 1024) + '"';
    await expect(readJsonBody(post(bytes(multiByte)))).rejects.toMatchObject({ status: 413, code: 'payloadTooLarge' });
  });

  it('refuses by the declared Content-Length before reading the body', async () => {
    const request = post(bytes('{}'), { 'content-length': String(90 * 1024 * 1024) });
    const read = jest.spyOn(request, 'arrayBuffer');
    await expect(readJsonBody(request)).rejects.toMatchObject({
      status: 413,
      code: 'payloadTooLarge',
      message: `Request body too large: at most 65536 bytes are accepted (received ${90 * 1024 * 1024}).`,
    });
    expect(read).not.toHaveBeenCalled();
  });

  it('refuses malformed JSON and invalid UTF-8 with 400', async () => {
    await expect(readJsonBody(post(bytes('{')))).rejects.toMatchObject({ status: 400, code: 'invalidJson' });
    await expect(readJsonBody(post(new Uint8Array([0x22, 0xff, 0x22])))).rejects.toMatchObject({
      status: 400,
      message: 'Invalid JSON body: it is not valid UTF-8.',
    });
  });
});

describe('readJsonBody on bodies that parse but cannot be sent on', () => {
  const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

  it('accepts 32 levels of nesting', async () => {
    await expect(readJsonBody(post(bytes(nested(32))))).resolves.toMatchObject({ present: true });
    await expect(readJsonBody(post(bytes(`{"a":${nested(31)}}`)))).resolves.toMatchObject({ present: true });
  });

  it.each([33, 5_000, 30_000])('refuses %p levels with 400 naming the limit', async (levels) => {
    await expect(readJsonBody(post(bytes(nested(levels))))).rejects.toMatchObject({
      status: 400,
      code: 'invalidJson',
      message: 'Invalid JSON body: it nests arrays and objects deeper than 32 levels.',
      details: { maxDepth: 32 },
    });
  });

  it('refuses a number outside the double range, which JSON would carry on as null', async () => {
    await expect(readJsonBody(post(bytes('{"payload":[1e999]}')))).rejects.toMatchObject({
      status: 400,
      code: 'invalidJson',
      message: 'Invalid JSON body: a number is outside the range of a double (it would be sent as null).',
    });
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=utf-8', true],
    ['application/problem+json', true],
    ['text/json', false],
    ['text/plain', false],
    ['application/jsonp', false],
  ])('%s → %p', (type, expected) => {
    expect(isJsonMediaType(type)).toBe(expected);
  });
});
