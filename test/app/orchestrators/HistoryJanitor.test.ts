jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});

import { PurgeHistory } from '../../../activities/PurgeHistory';
import { WINDOWS_PER_GENERATION } from '../../../lib/historyJanitorModel';
import { HistoryJanitor } from '../../../orchestrators/HistoryJanitor';
import { ActionType, History, actionsOf, replay } from '../../support/replay';
import type { OrchestratorResult } from '../../support/replay';

const T0 = '2026-03-31T00:00:00.000Z';
const LATER = '2026-03-31T00:00:09.000Z';
const FIRE_AT = '2026-04-01T00:00:09.000Z'; // LATER + 86,400 s

/** Four windows of six hours: the day before the cutoff, 2026-03-01 (30 days before T0). */
const input = { olderThanDays: 30, intervalSeconds: 86_400, windowMinutes: 360, lookbackDays: 1 };
const WINDOWS = [
  ['2026-02-28T00:00:00.000Z', '2026-02-28T06:00:00.000Z'],
  ['2026-02-28T06:00:00.000Z', '2026-02-28T12:00:00.000Z'],
  ['2026-02-28T12:00:00.000Z', '2026-02-28T18:00:00.000Z'],
  ['2026-02-28T18:00:00.000Z', '2026-03-01T00:00:00.000Z'],
];

/** Started at T0 with `startInput`; then window i (activity task i) purged `counts[i]`, one episode each. */
function purged(counts: number[], startInput: unknown = input): History {
  const history = new History().episode(T0).executionStarted(HistoryJanitor, startInput);
  counts.forEach((count, i) => {
    history
      .episode(`2026-03-31T00:00:0${i + 1}.000Z`)
      .taskScheduled(i, PurgeHistory)
      .taskCompleted(i, { instancesDeleted: count });
  });
  return history;
}

/** The PurgeHistory inputs the actions ask for, in order (each raced against `stop`). */
function purgeWindows(result: OrchestratorResult): string[][] {
  return actionsOf(result).flatMap((action) =>
    (action.compoundActions ?? [])
      .filter((inner: { functionName?: string }) => inner.functionName === PurgeHistory)
      .map((inner: { input: { createdTimeFrom: string; createdTimeTo: string } }) => [
        inner.input.createdTimeFrom,
        inner.input.createdTimeTo,
      ]),
  );
}

const idle = { iteration: 0, lastPurgeAt: null, lastPurgedCount: null, totalPurged: 0, lastError: null };

describe('HistoryJanitor', () => {
  it('starts a sweep with its oldest window, raced against stop', async () => {
    const result = await replay(
      HistoryJanitor,
      new History().episode(T0).executionStarted(HistoryJanitor, input).build(),
      input,
    );

    expect(result.isDone).toBe(false);
    expect(actionsOf(result)).toEqual([
      {
        actionType: ActionType.WhenAny,
        compoundActions: [
          expect.objectContaining({
            actionType: ActionType.CallActivityWithRetry,
            functionName: PurgeHistory,
            input: { createdTimeFrom: WINDOWS[0]![0], createdTimeTo: WINDOWS[0]![1] },
            retryOptions: expect.objectContaining({ maxNumberOfAttempts: 3 }),
          }),
          { actionType: ActionType.WaitForExternalEvent, externalEventName: 'stop', reason: 'ExternalEvent' },
        ],
      },
    ]);
    expect(result.customStatus).toEqual({
      ...idle,
      consecutiveFailures: 0,
      sweep: { windowsDone: 0, windowsTotal: 4, purged: 0, windowFrom: WINDOWS[0]![0], windowTo: WINDOWS[0]![1] },
    });
  });

  it('purges the windows one activity call each, oldest first, and shows the progress after each', async () => {
    const result = await replay(HistoryJanitor, purged([3, 0]).build(), input);

    expect(purgeWindows(result)).toEqual(WINDOWS.slice(0, 3));
    expect(result.customStatus).toEqual({
      ...idle,
      totalPurged: 3,
      consecutiveFailures: 0,
      sweep: { windowsDone: 2, windowsTotal: 4, purged: 3, windowFrom: WINDOWS[2]![0], windowTo: WINDOWS[2]![1] },
    });
  });

  it('after the last window records the sweep and waits for the next interval or stop', async () => {
    const result = await replay(HistoryJanitor, purged([3, 0, 1, 2]).build(), input);

    expect(purgeWindows(result)).toEqual(WINDOWS);
    expect(result.customStatus).toEqual({
      iteration: 1,
      lastPurgeAt: T0,
      lastPurgedCount: 6,
      totalPurged: 6,
      lastError: null,
      consecutiveFailures: 0,
      sweep: null,
    });
    expect(actionsOf(result).at(-1)?.compoundActions).toEqual([
      { actionType: ActionType.CreateTimer, fireAt: '2026-04-01T00:00:04.000Z', isCanceled: false },
      { actionType: ActionType.WaitForExternalEvent, externalEventName: 'stop', reason: 'ExternalEvent' },
    ]);
  });

  it('continues as new with the running total when the timer fires, and the next sweep starts afresh', async () => {
    const history = purged([1, 0, 0, 0]).episode(FIRE_AT).timerFired(4, '2026-04-01T00:00:04.000Z');
    const result = await replay(HistoryJanitor, history.build(), input);
    const next = { ...input, iteration: 1, lastPurgeAt: T0, lastPurgedCount: 1, totalPurged: 1 };
    expect(actionsOf(result).at(-1)).toEqual({
      actionType: ActionType.ContinueAsNew,
      input: { ...next, lastError: null, consecutiveFailures: 0, sweep: null },
    });

    const second = await replay(
      HistoryJanitor,
      new History().episode(FIRE_AT).executionStarted(HistoryJanitor, next).build(),
      next,
    );
    expect(purgeWindows(second)).toEqual([['2026-03-01T00:00:09.000Z', '2026-03-01T06:00:09.000Z']]);
  });

  it(`purges at most ${WINDOWS_PER_GENERATION} windows per generation, then continues as new with the sweep`, async () => {
    const long = { ...input, lookbackDays: 5 }; // 20 windows
    const counts = Array.from({ length: WINDOWS_PER_GENERATION }, () => 1);
    const result = await replay(HistoryJanitor, purged(counts, long).build(), long);

    expect(purgeWindows(result)).toHaveLength(WINDOWS_PER_GENERATION);
    const carried = actionsOf(result).at(-1);
    expect(carried).toMatchObject({
      actionType: ActionType.ContinueAsNew,
      input: {
        ...long,
        iteration: 0,
        totalPurged: 12,
        sweep: {
          startedAt: T0,
          from: '2026-02-24T00:00:00.000Z',
          to: '2026-03-01T00:00:00.000Z',
          windowsDone: 12,
          windowsTotal: 20,
          purged: 12,
        },
      },
    });
    expect(result.customStatus.sweep).toEqual({
      windowsDone: 12,
      windowsTotal: 20,
      purged: 12,
      windowFrom: '2026-02-27T00:00:00.000Z',
      windowTo: '2026-02-27T06:00:00.000Z',
    });

    // The next generation goes on with window 13 of the same sweep, whatever its own clock says.
    const nextInput = carried?.input as Record<string, unknown>;
    const next = await replay(
      HistoryJanitor,
      new History().episode(LATER).executionStarted(HistoryJanitor, nextInput).build(),
      nextInput,
    );
    expect(purgeWindows(next)).toEqual([['2026-02-27T00:00:00.000Z', '2026-02-27T06:00:00.000Z']]);
  });

  it('completes with its progress when stop arrives in the middle of a sweep', async () => {
    const history = purged([2]).episode(LATER).eventRaised('stop');
    const result = await replay(HistoryJanitor, history.build(), input);

    expect(result.isDone).toBe(true);
    expect(result.output).toMatchObject({
      iteration: 0,
      totalPurged: 2,
      sweep: { windowsDone: 1, windowsTotal: 4, purged: 2 },
      stoppedAt: LATER,
    });
  });

  it('completes with its final state on stop between sweeps', async () => {
    const history = purged([2, 0, 0, 0]).episode(LATER).eventRaised('stop');
    const result = await replay(HistoryJanitor, history.build(), input);
    expect(result.isDone).toBe(true);
    expect(result.output).toMatchObject({ iteration: 1, totalPurged: 2, sweep: null, stoppedAt: LATER });
    expect(actionsOf(result).at(-1)?.compoundActions[0]).toMatchObject({ isCanceled: true });
  });

  it('ends the sweep at a window that fails after its retries, records where, and keeps running', async () => {
    const history = purged([2])
      .episode(LATER)
      .taskFailed(1, 'storage down')
      .timerFired(2, LATER)
      .taskFailed(3, 'storage down')
      .timerFired(4, LATER)
      .taskFailed(5, 'storage down')
      .timerFired(6, LATER);
    const result = await replay(HistoryJanitor, history.build(), input);

    expect(result.isDone).toBe(false);
    expect(purgeWindows(result)).toEqual(WINDOWS.slice(0, 2));
    expect(result.customStatus).toEqual({
      iteration: 1,
      lastPurgeAt: T0,
      lastPurgedCount: null,
      totalPurged: 2,
      lastError: `window 2/4 (${WINDOWS[1]![0]} to ${WINDOWS[1]![1]}): Error: storage down`,
      consecutiveFailures: 1,
      sweep: null,
    });
    expect(actionsOf(result).at(-1)?.compoundActions[0]).toEqual({
      actionType: ActionType.CreateTimer,
      fireAt: '2026-04-01T00:00:09.000Z',
      isCanceled: false,
    });
  });

  it('uses 30 days, an hourly window, a 30-day lookback and a daily interval when started without input', async () => {
    const result = await replay(
      HistoryJanitor,
      new History().episode(T0).executionStarted(HistoryJanitor, '').build(),
      '',
    );
    expect(purgeWindows(result)).toEqual([['2026-01-30T00:00:00.000Z', '2026-01-30T01:00:00.000Z']]);
    expect(result.customStatus.sweep).toMatchObject({ windowsDone: 0, windowsTotal: 720 });
  });
});
