/**
 * Instance IDs containing `%`. The durable client puts IDs into URLs without encoding and the backend percent-decodes
 * them, so an ID with `%` either names another instance (`x%41y` becomes `xAy`) or cannot be sent at all; the app
 * must refuse it like the other URL-breaking characters.
 */
import { listInstances, request, singletonUrl, useHost } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

describe('HttpStartSingle with % in the instance ID', () => {
  it('answers 400 for an ID with a percent-encoded sequence and starts nothing', async () => {
    const res = await request(singletonUrl(host(), 'Counter', 'x%2541y'), { method: 'POST' });

    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: "Invalid instanceId: it must contain only letters, digits and - _ . ~ : @; found '%' at position 1.",
      code: 'invalidInstanceId',
      field: 'instanceId',
    });
    expect(await listInstances(host())).toEqual([]);
  });

  // Not a 503 "retry later": retrying could never succeed.
  it('answers 400, not 503, for an ID with a lone %', async () => {
    const res = await request(singletonUrl(host(), 'Counter', 'p%2525q'), { method: 'POST' });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalidInstanceId');
  });
});
