jest.mock('@azure/functions-core', () => jest.requireActual('../../fixtures/appCore').fakeCore, { virtual: true });

import { PurgeHistory } from '../../../activities/PurgeHistory';
import { HistoryJanitor } from '../../../orchestrators/HistoryJanitor';
import { History, actionsOf, replay } from '../../fixtures/replay';

const T0 = '2026-03-31T00:00:00.000Z';
const T1 = '2026-03-31T00:00:01.000Z';
const T2 = '2026-04-01T00:00:01.000Z';
const FIRE_AT = T2; // T1 + 86,400 s

const input = { olderThanDays: 30, intervalSeconds: 86_400 };

function purged(count: number): History {
  return new History()
    .episode(T0)
    .executionStarted(HistoryJanitor, input)
    .episode(T1)
    .taskScheduled(0, PurgeHistory)
    .taskCompleted(0, { instancesDeleted: count });
}

describe('HistoryJanitor', () => {
  it('purges instances created more than olderThanDays before the orchestration time', async () => {
    const result = await replay(
      HistoryJanitor,
      new History().episode(T0).executionStarted(HistoryJanitor, input).build(),
      input,
    );

    expect(result.isDone).toBe(false);
    expect(actionsOf(result)).toEqual([
      expect.objectContaining({
        actionType: 1,
        functionName: PurgeHistory,
        input: { createdTimeTo: '2026-03-01T00:00:00.000Z' },
      }),
    ]);
  });

  it('uses 30 days and a daily interval when started without input', async () => {
    const result = await replay(
      HistoryJanitor,
      new History().episode(T0).executionStarted(HistoryJanitor, '').build(),
      '',
    );
    expect(actionsOf(result)[0]?.input).toEqual({ createdTimeTo: '2026-03-01T00:00:00.000Z' });
  });

  it('shows the purge count and total in its custom status, then waits for the next interval or stop', async () => {
    const result = await replay(HistoryJanitor, purged(4).build(), input);

    expect(result.customStatus).toEqual({
      iteration: 1,
      lastPurgeAt: T0,
      lastPurgedCount: 4,
      totalPurged: 4,
      lastError: null,
      consecutiveFailures: 0,
    });
    expect(actionsOf(result)[1]?.compoundActions).toEqual([
      { actionType: 5, fireAt: FIRE_AT, isCanceled: false },
      { actionType: 6, externalEventName: 'stop', reason: 'ExternalEvent' },
    ]);
  });

  it('continues as new with the running total when the timer fires', async () => {
    const result = await replay(HistoryJanitor, purged(0).episode(T2).timerFired(1, FIRE_AT).build(), input);
    expect(actionsOf(result).at(-1)).toEqual({
      actionType: 4,
      input: {
        ...input,
        iteration: 1,
        lastPurgeAt: T0,
        lastPurgedCount: 0,
        totalPurged: 0,
        lastError: null,
        consecutiveFailures: 0,
      },
    });
  });

  it('completes with its final state on stop', async () => {
    const result = await replay(HistoryJanitor, purged(2).episode(T2).eventRaised('stop').build(), input);
    expect(result.isDone).toBe(true);
    expect(result.output).toMatchObject({ iteration: 1, totalPurged: 2, stoppedAt: T2 });
    expect(actionsOf(result)[1]?.compoundActions[0]).toMatchObject({ isCanceled: true });
  });

  it('records a purge that fails after its retries and keeps running', async () => {
    const history = new History()
      .episode(T0)
      .executionStarted(HistoryJanitor, input)
      .episode(T1)
      .taskFailed(0, 'storage down')
      .timerFired(1, T1)
      .taskFailed(2, 'storage down')
      .timerFired(3, T1)
      .taskFailed(4, 'storage down')
      .timerFired(5, T1);
    const result = await replay(HistoryJanitor, history.build(), input);

    expect(result.isDone).toBe(false);
    expect(result.customStatus).toMatchObject({
      lastError: 'Error: storage down',
      consecutiveFailures: 1,
      lastPurgedCount: null,
    });
  });
});
