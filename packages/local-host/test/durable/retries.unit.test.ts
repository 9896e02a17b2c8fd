import { emptyWork, freshExecutionState } from '../../src/durable/episode';
import type { ExecutionState } from '../../src/durable/episode';
import type { HistoryEvent } from '../../src/durable/history';
import { historyEvent } from '../../src/durable/history';
import { applyRetryEvents, newRetryTrack } from '../../src/durable/retries';
import { instanceRecord } from '../support/records';

const record = instanceRecord('i', {
  executionId: 'e',
  runtimeStatus: 'Running',
  createdTime: 0,
  lastUpdatedTime: 0,
});

const options = {
  firstRetryIntervalInMilliseconds: 1000,
  maxNumberOfAttempts: 4,
  backoffCoefficient: 3,
  maxRetryIntervalInMilliseconds: 5000,
  retryTimeoutInMilliseconds: 60_000,
};

function stateWithTrack(): ExecutionState {
  const state = freshExecutionState();
  state.nextId = 1;
  state.retries.push(newRetryTrack('activity', { name: 'Act', input: '1' }, options, 0, 0));
  return state;
}

const failed = (id: number, now: number): HistoryEvent =>
  historyEvent('TaskFailed', now, { TaskScheduledId: id, Reason: `failure of ${id}`, Details: 'd' });
const fired = (id: number, now: number): HistoryEvent => historyEvent('TimerFired', now, { TimerId: id });

function step(state: ExecutionState, event: HistoryEvent, now: number) {
  const out: HistoryEvent[] = [];
  const work = emptyWork();
  applyRetryEvents(state, [event], now, out, work, record);
  return { out, work };
}

describe('applyRetryEvents', () => {
  it('waits min(first·backoff^(k-1), maxInterval) after failure k and reschedules with the next ids', () => {
    const state = stateWithTrack();
    let r = step(state, failed(0, 100), 100);
    expect(r.out).toEqual([
      expect.objectContaining({ EventType: 10, EventId: 1, FireAt: new Date(1100).toISOString() }),
    ]);
    expect(r.work.timers).toEqual([{ instanceId: 'i', executionId: 'e', timerId: 1, fireAt: 1100 }]);

    r = step(state, fired(1, 1100), 1100);
    expect(r.out).toEqual([expect.objectContaining({ EventType: 4, EventId: 2, Name: 'Act', Input: '[1]' })]);
    expect(r.work.activities).toEqual([{ instanceId: 'i', executionId: 'e', id: 2, name: 'Act', input: '1' }]);

    r = step(state, failed(2, 2000), 2000);
    expect(r.work.timers[0]?.fireAt).toBe(2000 + 3000);
    step(state, fired(3, 5000), 5000);
    r = step(state, failed(4, 6000), 6000);
    expect(r.work.timers[0]?.fireAt).toBe(6000 + 5000); // 9000 capped at maxRetryInterval
  });

  it('adds an immediate back-compat timer after the last failure and then stops', () => {
    const state = stateWithTrack();
    state.retries[0]!.options = { ...options, maxNumberOfAttempts: 1 };
    const r = step(state, failed(0, 100), 100);
    expect(r.work.timers).toEqual([{ instanceId: 'i', executionId: 'e', timerId: 1, fireAt: 100 }]);
    const after = step(state, fired(1, 100), 100);
    expect(after.out).toEqual([]);
    expect(state.retries[0]?.done).toBe(true);
  });

  it('after the retry timeout, skips the delays and fails the remaining attempts without running them', () => {
    const state = stateWithTrack();
    const r = step(state, failed(0, 70_000), 70_000);
    expect(r.work.timers[0]?.fireAt).toBe(70_000);
    const next = step(state, fired(1, 70_000), 70_000);
    expect(next.work.activities).toEqual([]);
    expect(next.work.immediateEvents).toEqual([
      expect.objectContaining({
        instanceId: 'i',
        event: expect.objectContaining({ EventType: 6, TaskScheduledId: 2, Reason: 'failure of 0' }),
      }),
    ]);
  });

  it('ignores events that belong to no retry and ends the track on success', () => {
    const state = stateWithTrack();
    expect(step(state, failed(7, 1), 1).out).toEqual([]);
    step(state, historyEvent('TaskCompleted', 1, { TaskScheduledId: 0, Result: '1' }), 1);
    expect(state.retries[0]?.done).toBe(true);
  });
});
