import { RPC, START_TIME, isTerminalStatus, raise, start, useDurableHost } from '../support/durableHost';

describe('management API: purge', () => {
  const host = useDurableHost();

  it('purges one instance (200 {"instancesDeleted":1}) and then answers 404', async () => {
    await start(host(), 'Sequence', 'purge-1', 1);
    await host().waitForStatus('purge-1', isTerminalStatus);
    const res = await host().dispatch(`${RPC}/instances/purge-1`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ instancesDeleted: 1 });
    expect((await host().dispatch(`${RPC}/instances/purge-1`)).status).toBe(404);
    expect((await host().dispatch(`${RPC}/instances/purge-1`, { method: 'DELETE' })).status).toBe(404);
  });

  it('purges many by creation time and status, 400 without createdTimeFrom, 404 when nothing matched', async () => {
    for (const n of [1, 2, 3]) await start(host(), 'WaitEvent', `purge-many-${n}`);
    await raise(host(), 'purge-many-1', 'Go', 1);
    await raise(host(), 'purge-many-2', 'Go', 2);
    await host().waitForStatus('purge-many-2', isTerminalStatus);
    await host().waitForStatus('purge-many-1', isTerminalStatus);

    const missing = await host().dispatch(`${RPC}/instances/`, { method: 'DELETE' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ Message: "Please provide value for 'createdTimeFrom' parameter." });

    const from = new Date(START_TIME - 1000).toISOString();
    const res = await host().dispatch(`${RPC}/instances/?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ instancesDeleted: 2 });
    expect((await host().dispatch(`${RPC}/instances/purge-many-3`)).status).toBe(202);

    const none = await host().dispatch(`${RPC}/instances/?createdTimeFrom=${from}&runtimeStatus=Completed`, {
      method: 'DELETE',
    });
    expect(none.status).toBe(404);
  });
});
