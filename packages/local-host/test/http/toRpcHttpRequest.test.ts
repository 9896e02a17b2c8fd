import { collectHeaders, collectQuery, toRpcHttpRequest } from '../../src/http/toRpcHttpRequest';

describe('toRpcHttpRequest', () => {
  it('builds the RPC http payload with bytes body, nullable maps, params and query', () => {
    const data = toRpcHttpRequest({
      method: 'post',
      url: new URL('http://localhost:7071/api/orchestrators/Counter/c1?x=1'),
      rawHeaders: ['Content-Type', 'application/json', 'X-Trace', 'a'],
      body: Buffer.from('{"a":1}'),
      params: { functionName: 'Counter', instanceId: 'c1' },
    });
    expect(data).toEqual({
      http: {
        method: 'POST',
        url: 'http://localhost:7071/api/orchestrators/Counter/c1?x=1',
        headers: { 'content-type': 'application/json', 'x-trace': 'a' },
        nullableHeaders: { 'content-type': { value: 'application/json' }, 'x-trace': { value: 'a' } },
        body: { bytes: new Uint8Array(Buffer.from('{"a":1}')) },
        params: { functionName: 'Counter', instanceId: 'c1' },
        nullableParams: { functionName: { value: 'Counter' }, instanceId: { value: 'c1' } },
        query: { x: '1' },
        nullableQuery: { x: { value: '1' } },
      },
    });
  });

  it('joins repeated headers with commas, cookies with semicolons', () => {
    expect(collectHeaders(['Accept', 'a', 'accept', 'b', 'Cookie', 'x=1', 'cookie', 'y=2'])).toEqual({
      accept: 'a, b',
      cookie: 'x=1; y=2',
    });
  });

  it('joins repeated query values with commas', () => {
    expect(collectQuery(new URL('http://h/p?a=1&a=2&b=%20x'))).toEqual({ a: '1,2', b: ' x' });
  });
});
