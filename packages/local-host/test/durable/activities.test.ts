import { isTerminalStatus, start, useDurableHost } from '../support/durableHost';

describe('durable engine: activities', () => {
  const host = useDurableHost();

  it('runs a sequence of activities through replays and completes with their results', async () => {
    await start(host(), 'Sequence', 'seq-1', { hello: 'world' });
    const status = await host().waitForStatus('seq-1', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toEqual({
      a: { hello: 'world' },
      b: { type: 'object', value: { hello: 'world' } },
      c: 42,
    });
    expect(status.input).toEqual({ hello: 'world' });
  });

  it('delivers a string input to the activity as the same string', async () => {
    await start(host(), 'Sequence', 'seq-2', 'plain text');
    const status = await host().waitForStatus('seq-2', isTerminalStatus);
    expect(status.output).toEqual({ a: 'plain text', b: { type: 'string', value: 'plain text' }, c: 42 });
  });

  it('fans out and in with Task.all', async () => {
    await start(host(), 'FanOut', 'fan-1');
    const status = await host().waitForStatus('fan-1', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 42 });
  });
});

describe('durable engine: activities with a durable client input', () => {
  const host = useDurableHost();

  it('gives the activity a working client binding', async () => {
    await start(host(), 'ClientInActivity', 'client-activity');
    const status = await host().waitForStatus('client-activity', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'Running' });
  });
});

describe('durable engine: activity concurrency', () => {
  const host = useDurableHost();

  it('runs at most host.json maxConcurrentActivityFunctions activities at once', async () => {
    await start(host(), 'WideFanOut', 'wide');
    const status = await host().waitForStatus('wide', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 4 });
  });
});
