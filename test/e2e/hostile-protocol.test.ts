/**
 * The app behind the local host's front door, probed below fetch: raw bytes on a socket, a Host header no URL can
 * carry, management paths in capitals. Every refusal is JSON with a `code`, a request that ran is answered with its
 * own response, and the host keeps serving.
 */
import net from 'node:net';
import { getSingle, listInstances, request, singletonUrl, useHost } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

/** Writes `bytes` on a fresh connection and collects everything the host sends until it closes the connection. */
function exchange(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(host().port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

interface RawResponse {
  status: number;
  body: string;
}

/** Splits a byte stream of HTTP/1.1 responses with Content-Length bodies. */
function responses(text: string): RawResponse[] {
  const found: RawResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const head = rest.slice(0, end);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? '0');
    found.push({ status: Number(head.slice(9, 12)), body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  expect(rest).toBe('');
  return found;
}

const post = (id: string, headers = 'Host: 127.0.0.1\r\n') =>
  `POST /api/orchestrators/Counter/${id} HTTP/1.1\r\n${headers}`;

describe('the front door and the app under protocol abuse', () => {
  it('answers a request followed by stray bytes with its own response only, never a 400 over it', async () => {
    const text = await exchange(
      `${post('stray-1', 'Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n')}\r\nGARBAGE\r\n\r\n`,
    );

    const [only, ...more] = responses(text);
    expect(more).toEqual([]);
    expect(only?.status).toBe(202);
    expect(JSON.parse(only?.body ?? '')).toMatchObject({ id: 'stray-1' });
  });

  it('answers a short Content-Length request first, then refuses the leftover bytes with 400 JSON', async () => {
    const text = await exchange(
      `${post('stray-2', 'Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n')}\r\n{}XYZ junk\r\n\r\n`,
    );

    const [first, second, ...more] = responses(text);
    expect(more).toEqual([]);
    expect(first?.status).toBe(202);
    expect(second?.status).toBe(400);
    expect(JSON.parse(second?.body ?? '')).toEqual({
      error: 'The request could not be parsed (HPE_INVALID_METHOD).',
      code: 'badRequest',
    });
  });

  it('refuses a malformed request line with 400 JSON', async () => {
    const [only] = responses(await exchange('NOT HTTP AT ALL\r\n\r\n'));
    expect(only?.status).toBe(400);
    expect(JSON.parse(only?.body ?? '')).toMatchObject({ code: 'badRequest' });
  });

  it('refuses headers beyond the parser limit with 431 JSON', async () => {
    const headers = Array.from({ length: 1000 }, (_, i) => `X-Filler-${i}: ${'v'.repeat(40)}\r\n`).join('');
    const [only] = responses(await exchange(`GET /api/orchestrators/Counter/h HTTP/1.1\r\nHost: x\r\n${headers}\r\n`));
    expect(only?.status).toBe(431);
    expect(JSON.parse(only?.body ?? '')).toEqual({
      error: 'The request headers are too large.',
      code: 'headersTooLarge',
    });
  });

  it('refuses a Host header with userinfo with 400 JSON and starts nothing', async () => {
    const [only] = responses(
      await exchange(`${post('userinfo-1', 'Host: a@b\r\nConnection: close\r\nContent-Length: 0\r\n')}\r\n`),
    );
    expect(only?.status).toBe(400);
    expect(JSON.parse(only?.body ?? '')).toEqual({
      error: 'Invalid Host header: expected host[:port].',
      code: 'badRequest',
    });
    expect((await getSingle(host(), 'Counter', 'userinfo-1')).status).toBe(404);
  });

  it('serves the management API in any letter case', async () => {
    const res = await request(new URL('/RUNTIME/WEBHOOKS/DURABLETASK/INSTANCES/stray-1', host().url));
    expect(res.status).toBe(202);
    // Started by an earlier probe: the real extension may not have run its first episode yet.
    expect(res.body).toMatchObject({
      instanceId: 'stray-1',
      runtimeStatus: expect.stringMatching(/^(Pending|Running)$/),
    });
  });

  it('answers an unknown route 404 and a wrong method 405, each with a code', async () => {
    const none = await request(new URL('/api/nowhere', host().url));
    expect(none).toMatchObject({ status: 404, body: { code: 'routeNotFound' } });
    const wrong = await request(singletonUrl(host(), 'Counter', 'c1'), { method: 'PUT' });
    expect(wrong).toMatchObject({ status: 405, body: { code: 'methodNotAllowed' } });
    expect(wrong.headers.get('allow')).toBe('GET, POST, DELETE');
  });

  it('refuses a broken chunked encoding with 400 JSON and starts nothing', async () => {
    const head = post(
      'chunked-1',
      'Host: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n',
    );
    const [only] = responses(await exchange(`${head}\r\nzz\r\n{}\r\n0\r\n\r\n`));
    expect(only?.status).toBe(400);
    expect(JSON.parse(only?.body ?? '')).toMatchObject({ code: 'badRequest' });
    expect((await getSingle(host(), 'Counter', 'chunked-1')).status).toBe(404);
  });

  it('starts nothing for a client that disconnects in the middle of its body', async () => {
    await new Promise<void>((resolve) => {
      const head = post('halfway-1', 'Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n');
      const socket = net.connect(host().port, '127.0.0.1', () =>
        socket.write(`${head}\r\n{"value":`, () => socket.destroy()),
      );
      socket.on('close', () => resolve());
      socket.on('error', () => undefined);
    });
    expect((await getSingle(host(), 'Counter', 'halfway-1')).status).toBe(404);
  });

  it('keeps management paths inside the management API (no traversal through encoded dots or slashes)', async () => {
    for (const path of [
      '/runtime/webhooks/durabletask/instances/..%2F..%2F..%2Fapi%2Forchestrators%2FCounter%2Fstray-1',
      '/runtime/webhooks/durabletask/instances/%2E%2E/%2E%2E/api/orchestrators/Counter/stray-1',
    ]) {
      const res = await request(new URL(path, host().url));
      expect(res.status).not.toBe(200);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('still answers while 50 connections hold half-sent request headers', async () => {
    const idle = await Promise.all(
      Array.from(
        { length: 50 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(host().port, '127.0.0.1', () => {
              socket.write('GET /api/orchestrators/Counter/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
              resolve(socket);
            });
            socket.on('error', () => undefined);
          }),
      ),
    );
    try {
      expect((await getSingle(host(), 'Counter', 'stray-1')).status).toBe(200);
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it('kept serving and holds only the instances the accepted requests started', async () => {
    expect((await listInstances(host())).map((s) => s.instanceId).sort()).toEqual(['stray-1', 'stray-2']);
  });
});
