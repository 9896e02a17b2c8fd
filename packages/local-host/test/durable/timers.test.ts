import { isTerminalStatus, start, useDurableHost, instanceStatus } from '../support/durableHost';

describe('durable engine: timers on the manual clock', () => {
  const host = useDurableHost();

  it('fires a durable timer only once virtual time reaches it, and the orchestrator sees that time', async () => {
    await start(host(), 'Timer', 'timer-1');
    const created = Date.parse(
      (await host().waitForStatus('timer-1', (s) => s.runtimeStatus === 'Running')).createdTime,
    );

    await host().advanceTime(60 * 60_000 - 1);
    expect((await instanceStatus(host(), 'timer-1')).runtimeStatus).toBe('Running');

    await host().advanceTime(1);
    const status = await host().waitForStatus('timer-1', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe(new Date(created + 60 * 60_000).toISOString());
  });

  it('runs many timer-driven continue-as-new generations in one advanceTime call', async () => {
    await start(host(), 'Ticker', 'ticker-1', { count: 0, limit: 1000 });
    await host().advanceTime(1000 * 60_000);
    const status = await host().waitForStatus('ticker-1', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 1000, customStatus: { count: 1000 } });
    // Each generation starts from a fresh history: the last one holds only its own few events.
    const { historyEvents } = await instanceStatus(host(), 'ticker-1', '?showHistory=true');
    expect(historyEvents?.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'ExecutionCompleted']);
  });
});
