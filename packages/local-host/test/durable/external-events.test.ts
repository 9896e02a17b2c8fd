import { RPC, isTerminalStatus, raise, start, useDurableHost } from '../support/durableHost';

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

  // CarryProbe: generation 0 waits for `gate`, consumes one `e` and continues as new; generation 1 reports the first
  // `e` or `late` it receives, or 'timeout' after 3 s of orchestration time.
  it('drops at continue-as-new an event the execution received in an earlier episode and never consumed', async () => {
    await start(host(), 'CarryProbe', 'carry-drop', { gen: 0 });
    for (const [name, value] of [
      ['e', 1],
      ['e', 2],
    ] as const)
      await raise(host(), 'carry-drop', name, value);
    await host().whenIdle();
    await raise(host(), 'carry-drop', 'gate', 0);
    await host().whenIdle();
    await host().advanceTime(3_000);
    const status = await host().waitForStatus('carry-drop', isTerminalStatus);
    expect(status).toMatchObject({ input: { gen: 1, first: 1 }, output: 'timeout' });
  });

  it('passes on to the next execution the events of its last batch that lie after the one it continued on', async () => {
    await start(host(), 'CarryProbe', 'carry-keep', { gen: 0 });
    await host().whenIdle();
    // While suspended the events wait in the queue; the resume hands them over in one batch.
    expect((await host().dispatch(`${RPC}/instances/carry-keep/suspend`, { method: 'POST' })).status).toBe(202);
    await host().whenIdle();
    for (const [name, value] of [
      ['gate', 0],
      ['e', 1],
      ['e', 2],
      ['late', 3],
    ] as const)
      await raise(host(), 'carry-keep', name, value);
    expect((await host().dispatch(`${RPC}/instances/carry-keep/resume`, { method: 'POST' })).status).toBe(202);
    const status = await host().waitForStatus('carry-keep', isTerminalStatus);
    // `gate` and the first `e` were consumed; the second `e` came after the continue-as-new point and is not lost.
    expect(status).toMatchObject({ input: { gen: 1, first: 1 }, output: { name: 'e', value: 2 } });
  });
});
