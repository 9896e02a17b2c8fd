/**
 * Instance IDs that `new URL` inside the durable client would turn into another path: trailing or leading spaces
 * (trimmed: `zz ` would start `zz`), and `.`/`..`-like IDs (`. ` would read the instance list, `.. ` another
 * endpoint). Each is refused with 400 on every method before the client is called, nothing is created, and the log
 * never quotes another instance's input.
 */
import { listInstances, request, singletonUrl, startSingle, useHost } from './app-client';

const host = useHost({ clock: 'real' });

const MARKER = 'seed-input-marker-5c1e';
const HOSTILE_IDS: Array<[string, string]> = [
  ['zz%20', 'it must not start or end with a space.'],
  ['%20zz', 'it must not start or end with a space.'],
  ['%20', 'it must not start or end with a space.'],
  ['.%20', "it must not be '.' or '..' (with or without spaces around)."],
  ['..%20', "it must not be '.' or '..' (with or without spaces around)."],
  ['%20..', "it must not be '.' or '..' (with or without spaces around)."],
];

describe('the singleton route with IDs new URL would resolve elsewhere', () => {
  beforeAll(async () => {
    const seeded = await startSingle(host(), 'PeriodicJob', 'seed', { payload: { marker: MARKER } });
    expect(seeded.status).toBe(202);
  });

  describe.each(['POST', 'GET', 'DELETE'])('%s', (method) => {
    it.each(HOSTILE_IDS)('answers 400 for %p', async (rawId, reason) => {
      const res = await request(singletonUrl(host(), 'Counter', rawId), { method });

      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: `Invalid instanceId: ${reason}`,
        code: 'invalidInstanceId',
        field: 'instanceId',
      });
    });
  });

  it('created no instance and logged no instance input', async () => {
    expect((await listInstances(host())).map((s) => s.instanceId)).toEqual(['seed']);
    expect(host().output().join('\n')).not.toContain(MARKER);
  });
});
