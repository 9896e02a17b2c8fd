import { isTerminalStatus, raise, start, useDurableHost } from '../support/durableHost';

describe('durable engine: Task.any races', () => {
  const host = useDurableHost();

  it('lets the event win over the timer', async () => {
    await start(host(), 'Race', 'race-event');
    await host().advanceTime(5 * 60_000);
    expect(await raise(host(), 'race-event', 'Approve', { by: 'ana' })).toBe(202);
    const status = await host().waitForStatus('race-event', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'approved: {"by":"ana"}' });
  });

  it('lets the timer win when no event arrives in time', async () => {
    await start(host(), 'Race', 'race-timer');
    await host().advanceTime(10 * 60_000);
    const status = await host().waitForStatus('race-timer', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'timed out' });
  });
});
