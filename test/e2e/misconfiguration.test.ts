/**
 * A misconfigured start function (its `durableClient` input missing) over real HTTP: a JSON 500 naming the request,
 * not an unhandled failure, and never a 503 (retrying cannot help). The fixture app registers the app's real handler
 * without the binding next to the correctly registered one.
 */
import path from 'node:path';
import { freshId, request, startSingle, useHost } from '../support/appHttpClient';

const host = useHost({
  clock: 'real',
  appDir: path.resolve(__dirname, '..', 'fixtures', 'e2e', 'misconfigured-app'),
});

describe('HttpStartSingle without its durable client binding', () => {
  it('answers a JSON 500 with code internal', async () => {
    const id = freshId('misconfigured');
    const res = await request(`${host().url}/api/misconfigured/Counter/${id}`, { method: 'POST' });

    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: 'Internal error.', code: 'internal', instanceId: id, name: 'Counter' });
  });

  it('still validates the request before it needs the client', async () => {
    const res = await request(`${host().url}/api/misconfigured/Counter/@bad`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidInstanceId');
  });

  it('leaves the correctly registered function working', async () => {
    const res = await startSingle(host(), 'Counter', freshId('configured'));
    expect(res.status).toBe(202);
  });
});
