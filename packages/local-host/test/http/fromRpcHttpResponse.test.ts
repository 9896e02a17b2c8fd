import { HttpResponse } from '@azure/functions';
import { fromRpcHttpResponse, toSetCookie } from '../../src/http/fromRpcHttpResponse';

describe('fromRpcHttpResponse', () => {
  it('reads status, headers, cookies and bytes body', () => {
    const out = fromRpcHttpResponse({
      http: {
        statusCode: '202',
        headers: { 'Content-Type': 'application/json', location: 'http://x/y' },
        cookies: [{ name: 'a', value: '1', path: { value: '/' }, httpOnly: { value: true }, sameSite: 'strict' }],
        body: { bytes: new Uint8Array(Buffer.from('{"ok":true}')) },
      },
    });
    expect(out).toEqual({
      status: 202,
      headers: {
        'content-type': 'application/json',
        location: 'http://x/y',
        'set-cookie': ['a=1; Path=/; HttpOnly; SameSite=Strict'],
      },
      body: Buffer.from('{"ok":true}'),
    });
  });

  it('accepts a string body and defaults the status to 200', () => {
    expect(fromRpcHttpResponse({ http: { body: { string: 'hi' } } })).toEqual({
      status: 200,
      headers: {},
      body: Buffer.from('hi'),
    });
  });

  it('answers 204 when the function returned nothing', () => {
    expect(fromRpcHttpResponse(undefined)).toEqual({ status: 204, headers: {}, body: Buffer.alloc(0) });
  });

  it('formats every cookie attribute', () => {
    expect(
      toSetCookie({
        name: 's',
        value: 'v',
        domain: { value: 'example.com' },
        path: { value: '/a' },
        expires: { value: { seconds: 0 } },
        secure: { value: true },
        httpOnly: { value: false },
        sameSite: 'explicitNone',
        maxAge: { value: 60 },
      }),
    ).toBe(
      's=v; Domain=example.com; Path=/a; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60; Secure; SameSite=None',
    );
  });

  it('round-trips what @azure/functions produces for an HttpResponse', async () => {
    const response = new HttpResponse({ status: 201, jsonBody: { id: 'x' }, headers: { 'x-a': 'b' } });
    const headers: Record<string, string> = {};
    for (const [key, value] of response.headers) headers[key] = value;
    const out = fromRpcHttpResponse({
      http: {
        statusCode: String(response.status),
        headers,
        cookies: [],
        enableContentNegotiation: false,
        body: { bytes: new Uint8Array(await response.arrayBuffer()) },
      },
    });
    expect(out.status).toBe(201);
    expect(out.headers).toEqual({ 'content-type': 'application/json', 'x-a': 'b' });
    expect(JSON.parse(out.body.toString('utf8'))).toEqual({ id: 'x' });
  });
});
