import { RPC, isTerminalStatus, start, useDurableHost } from '../support/durableHost';

describe('durable engine: entities', () => {
  const host = useDurableHost();

  it('serves calls and signals from an orchestrator and replies with the operation result', async () => {
    await start(host(), 'EntityUser', 'entity-user', 'k1');
    const status = await host().waitForStatus('entity-user', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 15 });
    const state = await host().dispatch(`${RPC}/entities/Counter/k1`);
    expect(state.status).toBe(200);
    expect(await state.json()).toBe(15);
  });

  it('applies client signals and answers 404 for an entity that does not exist', async () => {
    const signal = await host().dispatch(`${RPC}/entities/counter/k2?op=add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '7',
    });
    expect(signal.status).toBe(202);
    await host().whenIdle();
    const state = await host().dispatch(`${RPC}/entities/counter/k2`);
    expect(await state.json()).toBe(7);

    const del = await host().dispatch(`${RPC}/entities/counter/k2`, { method: 'DELETE' });
    expect(del.status).toBe(202);
    await host().whenIdle();
    expect((await host().dispatch(`${RPC}/entities/counter/k2`)).status).toBe(404);
    expect((await host().dispatch(`${RPC}/entities/counter/never`)).status).toBe(404);
  });
});

describe('durable engine: entity errors and entity-to-entity signals', () => {
  const host = useDurableHost();

  it('rejects the orchestrator call when the entity operation throws', async () => {
    await start(host(), 'EntityFailure', 'entity-failure');
    const status = await host().waitForStatus('entity-failure', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'caught: true' });
  });

  it('delivers signals an entity sends to another entity', async () => {
    const res = await host().dispatch(`${RPC}/entities/counter/from?op=forward`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'target', amount: 4 }),
    });
    expect(res.status).toBe(202);
    await host().whenIdle();
    expect(await (await host().dispatch(`${RPC}/entities/counter/target`)).json()).toBe(4);
  });
});
