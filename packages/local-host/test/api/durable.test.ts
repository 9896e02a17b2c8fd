import { useLocalHost } from '../../src/testing';
import { HTTP_DURABLE_APP } from '../support/fixtureApps';

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
}

describe('local host with the durable engine', () => {
  describe('on the real clock', () => {
    const host = useLocalHost({ appDir: HTTP_DURABLE_APP });

    it('starts an orchestration through df.getClient + startNew and runs it to completion', async () => {
      const res = await host().dispatch('/api/start/hello-1', { method: 'POST', body: 'world' });
      expect(res.status).toBe(202);
      const payload = (await res.json()) as CheckStatus;
      expect(payload.id).toBe('hello-1');
      expect(res.headers.get('location')).toBe(payload.statusQueryGetUri);
      expect(new URL(payload.statusQueryGetUri).origin).toBe(host().url);

      const status = await host().waitForStatus('hello-1', (s) => s.runtimeStatus === 'Completed');
      expect(status).toMatchObject({ name: 'Hello', instanceId: 'hello-1', input: 'world', output: 'Hello world' });
    });

    it('answers the check-status URLs the client built, and refuses a second start while running', async () => {
      const res = await host().dispatch('/api/orchestrators/WaitForGo/go-1', { method: 'POST' });
      const payload = (await res.json()) as CheckStatus;
      await host().waitForStatus('go-1', (s) => s.runtimeStatus === 'Running');

      // startNew of an active instance fails in the function, which the front door reports as 500.
      expect((await host().dispatch('/api/orchestrators/WaitForGo/go-1', { method: 'POST' })).status).toBe(500);

      const raised = await fetch(payload.sendEventPostUri.replace('{eventName}', 'Go'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n: 1 }),
      });
      expect(raised.status).toBe(202);
      const done = await host().waitForStatus('go-1', (s) => s.runtimeStatus === 'Completed');
      expect(done.output).toEqual({ got: { n: 1 } });
      expect((await fetch(payload.statusQueryGetUri)).status).toBe(200);
    });
  });

  describe('on the manual clock', () => {
    const start = Date.UTC(2030, 0, 1);
    const host = useLocalHost({ appDir: HTTP_DURABLE_APP, clock: 'manual', startTime: start });

    it('keeps a timer pending until advanceTime passes it', async () => {
      expect((await host().dispatch('/api/orchestrators/Sleepy/s-1', { method: 'POST' })).status).toBe(202);
      await host().waitForStatus('s-1', (s) => s.runtimeStatus === 'Running');
      await host().whenIdle();
      await host().advanceTime(59 * 60 * 1000);
      await host().whenIdle();
      expect((await host().waitForStatus('s-1', () => true)).runtimeStatus).toBe('Running');

      await host().advanceTime(60 * 1000);
      const done = await host().waitForStatus('s-1', (s) => s.runtimeStatus === 'Completed');
      expect(done.output).toBe(`woke at ${new Date(start + 60 * 60 * 1000).toISOString()}`);
    });
  });
});
