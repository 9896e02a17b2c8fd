import type { LocalHost } from '../../src/api';
import { useLocalHost } from '../../src/testing';
import { HTTP_BASIC_APP, HTTP_DURABLE_APP } from '../support/fixtureApps';

describe('useLocalHost', () => {
  describe("scope 'all'", () => {
    const host = useLocalHost({ appDir: HTTP_BASIC_APP });
    const seen: LocalHost[] = [];

    it('provides a running host', async () => {
      seen.push(host());
      expect((await host().dispatch('/fx/echo')).status).toBe(200);
    });

    it('keeps the same host for every test of the block', () => {
      seen.push(host());
      expect(seen[0]).toBe(seen[1]);
    });
  });

  describe("scope 'each'", () => {
    const host = useLocalHost({ appDir: HTTP_BASIC_APP, scope: 'each' });
    const ports: number[] = [];

    it('starts a host for the first test', () => {
      ports.push(host().port);
    });

    it('starts a fresh host for the next test', () => {
      ports.push(host().port);
      expect(ports[0]).not.toBe(ports[1]);
    });
  });

  describe('whenIdleFirst', () => {
    const host = useLocalHost({ appDir: HTTP_DURABLE_APP, clock: 'manual', whenIdleFirst: true });

    it('makes waitForStatus read once the work is done, so its first read is the settled status', async () => {
      expect((await host().dispatch('/api/start/idle-1', { method: 'POST', body: 'idle' })).status).toBe(202);
      const status = await host().waitForStatus('idle-1', (s) => s.runtimeStatus === 'Completed', { timeoutMs: 0 });
      expect(status.output).toBe('Hello idle');
    });
  });
});
