import { START_TIME, WEBHOOK, isTerminalStatus, start, useDurableHost, instanceStatus } from '../support/durableHost';

const at = (ms: number): string => new Date(START_TIME + ms).toISOString();

describe('durable engine: activity retries', () => {
  const host = useDurableHost();

  it('waits first·backoff^(k-1) between attempts and completes when an attempt succeeds', async () => {
    await start(host(), 'Retry', 'retry-ok', { key: 'retry-ok', failTimes: 2, attempts: 3 });
    await host().whenIdle();
    expect((await instanceStatus(host(), 'retry-ok')).runtimeStatus).toBe('Running');

    await host().advanceTime(59_999);
    expect((await instanceStatus(host(), 'retry-ok')).runtimeStatus).toBe('Running');
    await host().advanceTime(1);
    await host().advanceTime(120_000);
    const status = await host().waitForStatus('retry-ok', isTerminalStatus);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 3 });

    const res = await host().dispatch(`${WEBHOOK}/instances/retry-ok?showHistory=true`);
    const { historyEvents } = (await res.json()) as { historyEvents: Record<string, unknown>[] };
    const timers = historyEvents.filter((e) => e.EventType === 'TimerCreated').map((e) => e.FireAt);
    expect(timers).toEqual([at(60_000), at(180_000)]);
    expect(historyEvents.filter((e) => e.EventType === 'TaskFailed')).toHaveLength(2);
    expect(historyEvents.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(1);
  });

  it('surfaces the last failure after the immediate back-compat timer when attempts are exhausted', async () => {
    await start(host(), 'RetryCaught', 'retry-exhausted', { key: 'retry-exhausted', failTimes: 10, attempts: 2 });
    await host().advanceTime(1_000);
    const status = await host().waitForStatus('retry-exhausted', isTerminalStatus);
    expect(status).toMatchObject({
      runtimeStatus: 'Completed',
      output: "caught: Activity function 'Flaky' failed:  flaky failure 2",
    });

    const res = await host().dispatch(`${WEBHOOK}/instances/retry-exhausted?showHistory=true`);
    const { historyEvents } = (await res.json()) as { historyEvents: Record<string, unknown>[] };
    const timers = historyEvents.filter((e) => e.EventType === 'TimerCreated');
    const startedAt = Date.parse(status.createdTime);
    const fireAt = new Date(startedAt + 1_000).toISOString();
    expect(timers.map((e) => e.FireAt)).toEqual([fireAt, fireAt]);
    expect(historyEvents.filter((e) => e.EventType === 'TimerFired')).toHaveLength(2);
  });

  it('fails the orchestration with the activity failure when the retried error is not caught', async () => {
    await start(host(), 'Retry', 'retry-fail', { key: 'retry-fail', failTimes: 10, attempts: 1 });
    const status = await host().waitForStatus('retry-fail', isTerminalStatus);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toMatch(
      /^Orchestrator function 'Retry' failed: Activity function 'Flaky' failed: {2}flaky failure 1 \n \{/,
    );
  });
});
