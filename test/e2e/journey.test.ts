/**
 * The new user's walk-through from the local host issue, end to end over real HTTP and only with URLs the answers
 * hand out: start Counter c1, follow `statusQueryGetUri`, raise `incr` through `sendEventPostUri`, stop it with
 * DELETE, start it again.
 */
import { raiseEvent, request, singletonUrl, useHost } from '../support/appHttpClient';
import type { InstanceStatus, ManagementPayload } from '../support/appHttpClient';

const host = useHost({ clock: 'real' });

describe('the quick-start journey', () => {
  it('starts, observes, drives, stops and restarts Counter c1', async () => {
    const url = singletonUrl(host(), 'Counter', 'c1');

    const started = await request<ManagementPayload>(url, { method: 'POST' });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    const running = await host().waitForStatus('c1', (s) => s.runtimeStatus === 'Running');
    expect(running.customStatus).toEqual({ value: 0 });

    expect((await raiseEvent(started.body, 'incr')).status).toBe(202);
    await host().waitForStatus('c1', (s) => (s.customStatus as { value?: number } | null)?.value === 1);
    const followed = await request<InstanceStatus>(location);
    expect(followed.status).toBe(202);
    expect(followed.body).toMatchObject({ runtimeStatus: 'Running', customStatus: { value: 1 } });

    // 202 while it stops, or 200 if it has already honoured the stop when the answer reads it back.
    const stopping = await request(url, { method: 'DELETE' });
    expect([200, 202]).toContain(stopping.status);
    await host().waitForStatus('c1', (s) => s.runtimeStatus === 'Completed');
    const stopped = await request<InstanceStatus>(location);
    expect(stopped.status).toBe(200);
    expect(stopped.body.output).toMatchObject({ value: 1 });

    const again = await request(url, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(again.body.restarted).toEqual({ previousStatus: 'Completed', previousName: 'Counter' });
    const fresh = await host().waitForStatus('c1', (s) => s.runtimeStatus === 'Running');
    expect(fresh.customStatus).toEqual({ value: 0 });
  });
});
