import type { DurableTestHost } from '../support/durableHost';
import { isTerminalStatus, useDurableHost } from '../support/durableHost';

interface OpResult {
  ok: boolean;
  value?: any;
  error?: string;
}

async function op(host: DurableTestHost, name: string, args: unknown): Promise<OpResult> {
  const res = await host.dispatch(`/api/client/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as OpResult;
}

describe('the JS DurableClient against the local host', () => {
  const host = useDurableHost();

  it('starts, reads status, raises an event and sees the result', async () => {
    const started = await op(host(), 'startNew', {
      name: 'WaitEvent',
      options: { instanceId: 'c-1', input: { a: 1 } },
    });
    expect(started).toEqual({ ok: true, value: 'c-1' });
    const status = await op(host(), 'getStatus', { instanceId: 'c-1', options: { showHistory: true } });
    expect(status.value).toMatchObject({ name: 'WaitEvent', instanceId: 'c-1', input: { a: 1 }, output: null });
    expect(['Pending', 'Running']).toContain(status.value.runtimeStatus);

    expect(await op(host(), 'raiseEvent', { instanceId: 'c-1', eventName: 'Go', data: [1, 2] })).toEqual({
      ok: true,
      value: null,
    });
    await host().waitForStatus('c-1', isTerminalStatus);
    expect((await op(host(), 'getStatus', { instanceId: 'c-1' })).value).toMatchObject({
      runtimeStatus: 'Completed',
      output: [1, 2],
    });
  });

  it('reports a start of an active instance as the extension 409 error', async () => {
    await op(host(), 'startNew', { name: 'WaitEvent', options: { instanceId: 'c-dup' } });
    const again = await op(host(), 'startNew', { name: 'WaitEvent', options: { instanceId: 'c-dup' } });
    expect(again.ok).toBe(false);
    expect(again.error).toContain('The operation failed with an unexpected status code: 409.');
    expect(again.error).toMatch(/An Orchestration instance with the status (Pending|Running) already exists\./);
  });

  it('throws the documented 404 error from getStatus for an unknown instance', async () => {
    const res = await op(host(), 'getStatus', { instanceId: 'c-missing' });
    expect(res.ok).toBe(false);
    expect(res.error).toContain('Durable Functions extension replied with HTTP 404 response');
  });

  it('terminates, suspends, resumes and purges', async () => {
    await op(host(), 'startNew', { name: 'WaitEvent', options: { instanceId: 'c-life' } });
    expect((await op(host(), 'suspend', { instanceId: 'c-life', reason: 'r' })).ok).toBe(true);
    await host().waitForStatus('c-life', (s) => s.runtimeStatus === 'Suspended');
    expect((await op(host(), 'resume', { instanceId: 'c-life', reason: 'r' })).ok).toBe(true);
    await host().waitForStatus('c-life', (s) => s.runtimeStatus === 'Running');
    expect((await op(host(), 'terminate', { instanceId: 'c-life', reason: 'stop' })).ok).toBe(true);
    expect(await host().waitForStatus('c-life', isTerminalStatus)).toMatchObject({
      runtimeStatus: 'Terminated',
      output: 'stop',
    });
    expect(await op(host(), 'purge', { instanceId: 'c-life' })).toEqual({ ok: true, value: { instancesDeleted: 1 } });
    expect((await op(host(), 'purge', { instanceId: 'c-life' })).value).toEqual({ instancesDeleted: 0 });
    expect((await op(host(), 'terminate', { instanceId: 'c-life', reason: 'x' })).error).toBe(
      "No instance with ID 'c-life' found.",
    );
  });

  it('reports rewind as not supported', async () => {
    await op(host(), 'startNew', { name: 'Failing', options: { instanceId: 'c-rewind' } });
    await host().waitForStatus('c-rewind', isTerminalStatus);
    const res = await op(host(), 'rewind', { instanceId: 'c-rewind', reason: 'again' });
    expect(res.ok).toBe(false);
    expect(res.error).toContain('not supported by the underlying storage provider');
  });

  it('pages through more than one page in getStatusBy and getStatusAll', async () => {
    for (let i = 0; i < 120; i++) {
      await op(host(), 'startNew', { name: 'WaitEvent', options: { instanceId: `c-page-${i}` } });
    }
    await host().whenIdle();
    const running = await op(host(), 'getStatusBy', { filter: { runtimeStatus: ['Running'] } });
    const ids = (running.value as { instanceId: string }[])
      .map((s) => s.instanceId)
      .filter((id) => id.startsWith('c-page-'));
    expect(new Set(ids).size).toBe(120);
    const all = await op(host(), 'getStatusAll', {});
    expect((all.value as unknown[]).length).toBeGreaterThanOrEqual(120);
  });

  it('purges by creation time and status through purgeInstanceHistoryBy', async () => {
    const res = await op(host(), 'purgeBy', { createdTimeFrom: '2000-01-01T00:00:00Z', runtimeStatus: ['Completed'] });
    expect(res.ok).toBe(true);
    expect(res.value.instancesDeleted).toBeGreaterThanOrEqual(1);
    expect(
      await op(host(), 'purgeBy', { createdTimeFrom: '2000-01-01T00:00:00Z', runtimeStatus: ['Completed'] }),
    ).toEqual({
      ok: true,
      value: { instancesDeleted: 0 },
    });
  });

  it('signals an entity and reads its state', async () => {
    expect((await op(host(), 'signalEntity', { name: 'Counter', key: 'c', op: 'add', input: 3 })).ok).toBe(true);
    await host().whenIdle();
    expect(await op(host(), 'readEntityState', { name: 'Counter', key: 'c' })).toEqual({
      ok: true,
      value: { entityExists: true, entityState: 3 },
    });
    expect((await op(host(), 'readEntityState', { name: 'Counter', key: 'none' })).value).toEqual({
      entityExists: false,
    });
  });

  it('waits for completion and answers with the output', async () => {
    await op(host(), 'startNew', { name: 'Sequence', options: { instanceId: 'c-wait', input: 7 } });
    const res = await host().dispatch('/api/client/waitForCompletion', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instanceId: 'c-wait' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ a: 7, b: { type: 'number', value: 7 }, c: 42 });
  });
});
