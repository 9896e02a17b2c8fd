/**
 * Instance IDs that `new URL` inside the durable client would turn into another path: trailing or leading spaces
 * (trimmed: `zz ` would start `zz`), and `.`/`..`-like IDs (`. ` would read the instance list, `.. ` another
 * endpoint). Each is refused with 400 on every method before the client is called, nothing is created, and the log
 * never quotes another instance's input.
 */
import { listInstances, request, singletonUrl, startSingle, useHost } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

const ONLY = 'it must contain only letters, digits and - _ . ~ : @; found ';

const MARKER = 'seed-input-marker-5c1e';
const HOSTILE_IDS: Array<[string, string]> = [
  ['zz%20', `${ONLY}' ' at position 2.`],
  ['%20zz', `${ONLY}' ' at position 0.`],
  ['%20', `${ONLY}' ' at position 0.`],
  ['.%20', `${ONLY}' ' at position 1.`],
  ['..%20', `${ONLY}' ' at position 2.`],
  ['%20..', `${ONLY}' ' at position 0.`],
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
