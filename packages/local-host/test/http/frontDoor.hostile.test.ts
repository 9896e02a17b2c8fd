/**
 * The front door in process, over a real loopback server, against hostile requests: a Host header with userinfo,
 * bodies that do not fit the buffering budget, and a client that leaves while a durable long poll waits for it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DurableService, FunctionRuntime, HostHttpRequest } from '../../src/contracts';
import { createFrontDoor } from '../../src/http';

const KIB = 1024;

/** No functions: every non-durable request ends in the router's 404, after its body was read. */
const noFunctions: FunctionRuntime = {
  list: () => [],
  get: () => undefined,
  invoke: () => Promise.reject(new Error('no functions')),
};

/** A durable service whose management path `/runtime/webhooks/durabletask/wait` answers only once its client left. */
function waitingDurable(seen: { aborted: boolean; requests: HostHttpRequest[] }): DurableService {
  return {
    clientBindingJson: () => '{}',
    handleHttp: (req) => {
      if (!req.url.pathname.toLowerCase().startsWith('/runtime/webhooks/durabletask/'))
        return Promise.resolve(undefined);
      seen.requests.push(req);
      return new Promise((resolve) => {
        req.signal?.addEventListener('abort', () => {
          seen.aborted = true;
          resolve({ status: 202, headers: {}, body: '' });
        });
      });
    },
    advanceTime: () => Promise.resolve(),
    whenIdle: () => Promise.resolve(),
    dispose: () => Promise.resolve(),
  };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function read(res: http.IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.on('data', (c: Buffer) => (body += c.toString()));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    res.on('error', reject);
  });
}

describe('HTTP front door under hostile requests', () => {
  const seen = { aborted: false, requests: [] as HostHttpRequest[] };
  const arrivals = new Map<string, () => void>();
  const arrival = (probe: string) => new Promise<void>((resolve) => arrivals.set(probe, resolve));
  let server: http.Server;
  let port = 0;

  beforeAll(async () => {
    const frontDoor = createFrontDoor({
      runtime: noFunctions,
      durable: waitingDurable(seen),
      routePrefix: 'api',
      log: () => undefined,
      fallbackHost: () => `127.0.0.1:${port}`,
      maxRequestBodyBytes: 256 * KIB,
    });
    server = http.createServer((req, res) => {
      void frontDoor.handle(req, res);
      // After handle() began: the body's reservation is made before its first byte is read.
      const probe = req.headers['x-probe'];
      if (typeof probe === 'string') arrivals.get(probe)?.();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function send(
    path: string,
    options: http.RequestOptions,
    body?: Buffer,
  ): { req: http.ClientRequest; answer: Promise<Answer> } {
    const req = http.request({ host: '127.0.0.1', port, path, agent: false, ...options });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => void read(res).then(resolve, reject));
      req.on('error', reject);
    });
    answer.catch(() => undefined); // a failed test must not also crash the worker with an unhandled rejection
    if (body !== undefined) req.end(body);
    return { req, answer };
  }

  it('answers 400 JSON for a Host header with userinfo, which no request URL can carry', async () => {
    const { answer } = send('/api/anything', { method: 'POST', headers: { host: 'a@b' } }, Buffer.from('{}'));

    const res = await answer;
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'Invalid Host header: expected host[:port].', code: 'badRequest' });
  });

  it.each(['a/b', 'a b', 'a:b:c', ''])(
    'refuses Host %p too, or serves it on its own origin when empty',
    async (host) => {
      const { answer } = send('/api/none', { method: 'GET', headers: { host } }, Buffer.alloc(0));
      expect((await answer).status).toBe(host === '' ? 404 : 400);
    },
  );

  it('refuses with 503 and Retry-After a body that does not fit beside the ones being buffered, before reading it', async () => {
    // A declares 200 KiB and sends only part of it, so its reservation is held.
    const aArrived = arrival('a');
    const a = send('/api/none', { method: 'POST', headers: { 'content-length': String(200 * KIB), 'x-probe': 'a' } });
    a.req.write(Buffer.alloc(KIB));
    await aArrived;

    const b = send('/api/none', { method: 'POST', headers: { 'content-length': String(100 * KIB) } });
    b.req.on('error', () => undefined); // the host closes B's connection without reading its body
    b.req.write(Buffer.alloc(KIB));
    const refused = await b.answer;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toEqual({
      error: 'The host is buffering other request bodies; retry later.',
      code: 'hostBusy',
    });

    a.req.end(Buffer.alloc(199 * KIB));
    expect((await a.answer).status).toBe(404);
    // A's reservation is released with its answer: the same body fits now.
    const served = await send('/api/none', { method: 'POST' }, Buffer.alloc(100 * KIB)).answer;
    expect(served.status).toBe(404);
    expect(JSON.parse(served.body)).toMatchObject({ code: 'routeNotFound' });
  });

  it('counts a chunked body against the limit as it arrives (413 JSON)', async () => {
    const { req, answer } = send('/api/none', { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    for (let i = 0; i < 5; i++) req.write(Buffer.alloc(64 * KIB));
    const res = await answer;
    req.destroy();
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({
      error: `The request body exceeds the limit of ${256 * KIB} bytes`,
      code: 'payloadTooLarge',
      maxBytes: 256 * KIB,
    });
  });

  it('tells the durable service when the client of a long poll goes away', async () => {
    const { req } = send('/RUNTIME/WEBHOOKS/DURABLETASK/wait', { method: 'POST' }, Buffer.alloc(0));
    while (seen.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen.aborted).toBe(false);

    req.destroy();
    while (!seen.aborted) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(seen.requests[0]?.signal?.aborted).toBe(true);
  });
});
