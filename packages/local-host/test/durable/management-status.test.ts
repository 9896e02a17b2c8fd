import { RPC, WEBHOOK, isTerminalStatus, raise, start, useDurableHost } from '../support/durableHost';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('management API: instance status', () => {
  const host = useDurableHost();

  it('answers 202 with Location and Retry-After: 5 while running, with input, customStatus and output present', async () => {
    await start(host(), 'Status', 'st-1', { n: 1 });
    await host().whenIdle();
    const url = `${WEBHOOK}/instances/st-1?taskHub=ConformanceHub`;
    const res = await host().dispatch(url);
    expect(res.status).toBe(202);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('location')).toBe(`${host().url}${url}`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      name: 'Status',
      instanceId: 'st-1',
      runtimeStatus: 'Running',
      input: { n: 1 },
      customStatus: { step: 1 },
      output: null,
      createdTime: expect.stringMatching(TIME),
      lastUpdatedTime: expect.stringMatching(TIME),
    });
  });

  it('answers 200 once completed and hides the input with showInput=false', async () => {
    await raise(host(), 'st-1', 'next', null);
    await host().waitForStatus('st-1', isTerminalStatus);
    const res = await host().dispatch(`${RPC}/instances/st-1?showInput=false`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      runtimeStatus: 'Completed',
      input: null,
      output: { n: 1 },
      customStatus: { step: 2 },
    });
  });

  it('shows the condensed history with showHistory and results with showHistoryOutput', async () => {
    await start(host(), 'Sequence', 'st-hist', 'x');
    await host().waitForStatus('st-hist', isTerminalStatus);
    const plain = (await (await host().dispatch(`${RPC}/instances/st-hist?showHistory=true`)).json()) as {
      historyEvents: Record<string, unknown>[];
    };
    expect(plain.historyEvents.map((e) => e.EventType)).toEqual([
      'ExecutionStarted',
      'TaskCompleted',
      'TaskCompleted',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
    expect(plain.historyEvents[1]).toMatchObject({ FunctionName: 'Echo', Input: '["x"]' });
    expect(plain.historyEvents[1]).not.toHaveProperty('Result');
    expect(plain.historyEvents[1]).not.toHaveProperty('TaskScheduledId');

    const withOutput = (await (
      await host().dispatch(`${RPC}/instances/st-hist?showHistory=true&showHistoryOutput=true`)
    ).json()) as { historyEvents: Record<string, unknown>[] };
    expect(withOutput.historyEvents[3]).toMatchObject({ FunctionName: 'Double', Result: 42 });
  });

  it('answers 500 for a failed instance only with returnInternalServerErrorOnFailure=true', async () => {
    await start(host(), 'Failing', 'st-failed');
    await host().waitForStatus('st-failed', isTerminalStatus);
    expect((await host().dispatch(`${RPC}/instances/st-failed`)).status).toBe(200);
    const res = await host().dispatch(`${RPC}/instances/st-failed?returnInternalServerErrorOnFailure=true`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ runtimeStatus: 'Failed' });
  });

  it('answers 404 with an empty body for an unknown instance', async () => {
    const res = await host().dispatch(`${RPC}/instances/nobody`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });
});
