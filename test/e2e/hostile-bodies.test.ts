/**
 * Start bodies that parse as JSON but cannot be sent on to the backend: the caller's error (400), never a 503 "retry
 * later", and nothing is started.
 */
import { listInstances, request, singletonUrl, useHost } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

function postJson(id: string, text: string) {
  return request(singletonUrl(host(), 'PeriodicJob', id), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });
}

describe('HttpStartSingle with bodies the durable client cannot send', () => {
  it('answers 400 naming the depth limit for a payload nested 5,000 levels deep', async () => {
    const res = await postJson('deep', `{"payload":${'['.repeat(5_000)}${']'.repeat(5_000)}}`);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'Invalid JSON body: it nests arrays and objects deeper than 32 levels.',
      code: 'invalidJson',
      maxDepth: 32,
    });
  });

  it('answers 400 for a number that would reach the orchestrator as null', async () => {
    const res = await postJson('huge', '{"payload":{"n":1e999}}');

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidJson');
  });

  it('started nothing', async () => {
    expect(await listInstances(host())).toEqual([]);
  });
});
