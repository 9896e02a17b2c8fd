import { RPC, isTerminalStatus, raise, start, useDurableHost } from './support/harness';

describe('durable engine: external events', () => {
  const host = useDurableHost();

  it('delivers an event raised while the orchestrator waits', async () => {
    await start(host(), 'WaitEvent', 'ev-after');
    await host().waitForStatus('ev-after', (s) => s.runtimeStatus === 'Running');
    expect(await raise(host(), 'ev-after', 'Go', { ok: true })).toBe(202);
    const status = await host().waitForStatus('ev-after', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { ok: true } });
  });

  it('keeps events raised before the orchestrator waits and delivers them in order', async () => {
    const res = await host().dispatch(`${RPC}/orchestrators/TwoEvents/ev-before`, { method: 'POST' });
    expect(res.status).toBe(202);
    // Raised while the instance may still be Pending: both are stored and consumed in arrival order.
    expect(await raise(host(), 'ev-before', 'Item', 'first')).toBe(202);
    expect(await raise(host(), 'ev-before', 'Item', 'second')).toBe(202);
    const status = await host().waitForStatus('ev-before', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: ['first', 'second'] });
  });

  it('carries unconsumed events over continue-as-new, one per generation', async () => {
    await start(host(), 'Accumulator', 'acc-1');
    for (const n of [1, 2, 3, 4, 0]) expect(await raise(host(), 'acc-1', 'add', n)).toBe(202);
    const status = await host().waitForStatus('acc-1', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { total: 10, seen: [1, 2, 3, 4, 0] } });
  });
});
