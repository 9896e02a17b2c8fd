import http from 'node:http';
import net from 'node:net';
import { useLocalHost } from '../../src/testing';
import { HTTP_BASIC_APP, HTTP_DURABLE_APP } from '../support/fixtureApps';

interface Echo {
  method: string;
  url: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  invocationId: string;
  functionName: string;
  options: { trigger: Record<string, unknown>; return: Record<string, unknown>; extraInputs: unknown[] };
  env: { setting?: string; overridden?: string };
  traceContext: { traceParent: string; traceState: string; attributes: Record<string, string> };
}

describe('HTTP front door', () => {
  const host = useLocalHost({ appDir: HTTP_BASIC_APP, env: { FIXTURE_OVERRIDDEN: 'from-env' } });

  describe('request payload seen by the function', () => {
    it('passes method, absolute URL, params, query, headers and body', async () => {
      const res = await host().dispatch('/fx/echo/42?a=1&b=two%20words', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-custom': 'v' },
        body: 'hello body',
      });
      expect(res.status).toBe(200);
      const echo = (await res.json()) as Echo;
      expect(echo.method).toBe('POST');
      expect(echo.url).toBe(`${host().url}/fx/echo/42?a=1&b=two%20words`);
      expect(echo.params).toEqual({ id: '42' });
      expect(echo.query).toEqual({ a: '1', b: 'two words' });
      expect(echo.headers).toMatchObject({ 'content-type': 'text/plain', 'x-custom': 'v' });
      expect(echo.body).toBe('hello body');
    });

    it('gives the invocation context its id, function name and binding options', async () => {
      const echo = (await (await host().dispatch('/fx/echo')).json()) as Echo;
      expect(echo.invocationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(echo.functionName).toBe('Echo');
      expect(echo.options.trigger).toMatchObject({
        type: 'httpTrigger',
        route: 'echo/{id:int?}',
        methods: ['GET', 'POST', 'PUT'],
        direction: 'in',
      });
      expect(echo.options.return).toEqual({ type: 'http', name: '$return', direction: 'out' });
      expect(echo.options.extraInputs).toEqual([]);
      expect(echo.traceContext).toEqual({
        traceParent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/),
        traceState: '',
        attributes: {},
      });
    });

    it('gives each invocation its own id', async () => {
      const a = (await (await host().dispatch('/fx/echo')).json()) as Echo;
      const b = (await (await host().dispatch('/fx/echo')).json()) as Echo;
      expect(a.invocationId).not.toBe(b.invocationId);
    });

    it('loads local.settings.json values without overriding variables already set', async () => {
      const echo = (await (await host().dispatch('/fx/echo')).json()) as Echo;
      expect(echo.env).toEqual({ setting: 'from-local-settings', overridden: 'from-env' });
    });
  });

  describe('routing', () => {
    it('uses host.json routePrefix and the function name when no route is given', async () => {
      expect((await host().dispatch('/fx/Plain')).status).toBe(200);
      expect((await host().dispatch('/fx/plain')).status).toBe(200);
      expect((await host().dispatch('/api/Plain')).status).toBe(404);
    });

    it('answers 404 with a JSON error for an unknown route', async () => {
      const res = await host().dispatch('/fx/nowhere');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({
        error: 'No function is registered for GET /fx/nowhere',
        code: 'routeNotFound',
      });
    });

    it('answers 405 with the allowed methods for a known route and another method', async () => {
      const res = await host().dispatch('/fx/status/200', { method: 'DELETE' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toEqual({
        error: 'Method DELETE is not allowed for /fx/status/200; allowed: POST',
        code: 'methodNotAllowed',
      });
    });

    it('honours optional parameters and constraints', async () => {
      expect((await host().dispatch('/fx/echo')).status).toBe(200);
      expect((await host().dispatch('/fx/echo/7')).status).toBe(200);
      expect((await host().dispatch('/fx/echo/seven')).status).toBe(404);
    });

    it('prefers the literal route, then the constrained one', async () => {
      const literal = await (await host().dispatch('/fx/items/special')).json();
      const numeric = await (await host().dispatch('/fx/items/12')).json();
      const guid = await (await host().dispatch('/fx/items/books/6f9619ff-8b86-d011-b42d-00cf4fc964ff')).json();
      expect(literal).toEqual({ fn: 'Literal', params: {} });
      expect(numeric).toEqual({ fn: 'ItemsByNumber', params: { n: '12' } });
      expect(guid).toEqual({ fn: 'Item', params: { category: 'books', id: '6f9619ff-8b86-d011-b42d-00cf4fc964ff' } });
      expect((await host().dispatch('/fx/items/books/not-a-guid')).status).toBe(404);
    });

    it('passes a catch-all parameter decoded', async () => {
      expect(await (await host().dispatch('/fx/files/a/b%20c/d.txt')).json()).toEqual({
        fn: 'Files',
        params: { path: 'a/b c/d.txt' },
      });
    });
  });

  describe('responses', () => {
    it('sends the status, headers, cookies and body the function returned', async () => {
      const res = await host().dispatch('/fx/status/201', { method: 'POST' });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-fixture')).toBe('yes');
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect(res.headers.getSetCookie()).toEqual(['session=abc; Path=/; HttpOnly; SameSite=Lax']);
      expect(await res.text()).toBe('status 201');
    });

    it.each([204, 400, 409, 503])('passes status %i through', async (code) => {
      expect((await host().dispatch(`/fx/status/${code}`, { method: 'POST' })).status).toBe(code);
    });

    it('sends binary bodies unchanged', async () => {
      const res = await host().dispatch('/fx/bytes');
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    });

    it('answers 204 with no body when the function returns nothing', async () => {
      const res = await host().dispatch('/fx/nothing');
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
    });

    it('answers 500 with an empty body when the function throws', async () => {
      const res = await host().dispatch('/fx/fail', { method: 'POST', body: 'x' });
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('');
    });
  });

  describe('bad requests', () => {
    it('refuses a body above the 100 MB limit with 413 before reading it', async () => {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          `${host().url}/fx/echo`,
          { method: 'POST', headers: { 'content-length': String(200 * 1024 * 1024), connection: 'close' } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.write('partial');
      });
      expect(status).toBe(413);
      expect(JSON.parse(body)).toEqual({
        error: 'The request body exceeds the limit of 104857600 bytes',
        code: 'payloadTooLarge',
        maxBytes: 104857600,
      });
    });

    it('answers 400 to a malformed request and keeps serving', async () => {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(host().port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString()));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
      expect((await host().dispatch('/fx/echo')).status).toBe(200);
    });
  });
});

describe('HTTP front door with a durable client binding', () => {
  const host = useLocalHost({ appDir: HTTP_DURABLE_APP });

  it('delivers the durableClient binding with management URLs on the request origin, and the default api prefix', async () => {
    const res = await host().dispatch('/api/client');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { taskHubName: string; payload: Record<string, string> };
    expect(body.taskHubName).toBe('FixtureHub');
    expect(body.payload.id).toBe('abc');
    expect(body.payload.statusQueryGetUri).toMatch(
      new RegExp(`^${host().url}/runtime/webhooks/durabletask/instances/abc\\?taskHub=FixtureHub&connection=Storage`),
    );
  });
});
