jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});

import { RunJob } from '../../../activities/RunJob';
import { PeriodicJob } from '../../../orchestrators/PeriodicJob';
import { ActionType, History, actionsOf, replay } from '../../support/replay';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:02.000Z';
const T2 = '2026-01-01T00:01:02.000Z';
const FIRE_AT = '2026-01-01T00:01:02.000Z'; // T1 + 60 s

const input = { intervalSeconds: 60 };
const freshStatus = { iteration: 0, lastRunAt: null, lastResult: null, lastError: null, consecutiveFailures: 0 };

/** First episode: started; second: the run completed with `result`. */
function ranOnce(result: unknown, startInput: unknown = input): History {
  return new History()
    .episode(T0)
    .executionStarted(PeriodicJob, startInput)
    .episode(T1)
    .taskScheduled(0, RunJob)
    .taskCompleted(0, result);
}

describe('PeriodicJob', () => {
  it('runs the job activity with a retry policy, passing the iteration and the orchestration time', async () => {
    const result = await replay(
      PeriodicJob,
      new History().episode(T0).executionStarted(PeriodicJob, input).build(),
      input,
    );

    expect(result.isDone).toBe(false);
    expect(result.customStatus).toEqual(freshStatus);
    expect(actionsOf(result)).toEqual([
      {
        actionType: ActionType.CallActivityWithRetry,
        functionName: RunJob,
        input: { iteration: 1, scheduledAt: T0 },
        retryOptions: expect.objectContaining({ firstRetryIntervalInMilliseconds: 5000, maxNumberOfAttempts: 3 }),
      },
    ]);
  });

  it('uses the defaults when started without input, and passes a payload through to the job', async () => {
    const noInput = await replay(PeriodicJob, new History().episode(T0).executionStarted(PeriodicJob, '').build(), '');
    expect(noInput.customStatus).toEqual(freshStatus);

    const withPayload = { intervalSeconds: 5, payload: { url: 'x' } };
    const result = await replay(PeriodicJob, ranOnce('done', withPayload).build(), withPayload);
    expect(actionsOf(result)[0]?.input).toEqual({ iteration: 1, scheduledAt: T0, payload: { url: 'x' } });
    expect(actionsOf(result)[1]?.compoundActions[0]).toMatchObject({
      actionType: ActionType.CreateTimer,
      fireAt: '2026-01-01T00:00:07.000Z',
    });
  });

  it('after a run, records it and races a timer of intervalSeconds against stop', async () => {
    const result = await replay(PeriodicJob, ranOnce({ rows: 3 }).build(), input);

    expect(result.isDone).toBe(false);
    expect(result.customStatus).toEqual({
      iteration: 1,
      lastRunAt: T0,
      lastResult: { rows: 3 },
      lastError: null,
      consecutiveFailures: 0,
    });
    expect(actionsOf(result)[1]).toEqual({
      actionType: ActionType.WhenAny,
      compoundActions: [
        { actionType: ActionType.CreateTimer, fireAt: FIRE_AT, isCanceled: false },
        { actionType: ActionType.WaitForExternalEvent, externalEventName: 'stop', reason: 'ExternalEvent' },
      ],
    });
  });

  it('continues as new with the next state when the timer fires', async () => {
    const history = ranOnce({ rows: 3 }).timerCreated(1, FIRE_AT).episode(T2).timerFired(1, FIRE_AT);
    const result = await replay(PeriodicJob, history.build(), input);

    expect(result.isDone).toBe(true);
    expect(result.output).toBeUndefined();
    expect(actionsOf(result).at(-1)).toEqual({
      actionType: ActionType.ContinueAsNew,
      input: {
        intervalSeconds: 60,
        iteration: 1,
        lastRunAt: T0,
        lastResult: { rows: 3 },
        lastError: null,
        consecutiveFailures: 0,
      },
    });
  });

  it('on stop, cancels the timer and completes with its final state', async () => {
    const history = ranOnce({ rows: 3 }).timerCreated(1, FIRE_AT).episode(T2).eventRaised('stop');
    const result = await replay(PeriodicJob, history.build(), input);

    expect(result.isDone).toBe(true);
    expect(result.output).toEqual({
      intervalSeconds: 60,
      iteration: 1,
      lastRunAt: T0,
      lastResult: { rows: 3 },
      lastError: null,
      consecutiveFailures: 0,
      stoppedAt: T2,
    });
    expect(actionsOf(result)[1]?.compoundActions[0]).toMatchObject({
      actionType: ActionType.CreateTimer,
      isCanceled: true,
    });
    expect(actionsOf(result).some((action) => action.actionType === ActionType.ContinueAsNew)).toBe(false);
  });

  it('honours a stop raised while the job was running, right after the run', async () => {
    const history = new History()
      .episode(T0)
      .executionStarted(PeriodicJob, input)
      .episode(T1)
      .taskScheduled(0, RunJob)
      .eventRaised('stop')
      .taskCompleted(0, 'ok');
    const result = await replay(PeriodicJob, history.build(), input);

    expect(result.isDone).toBe(true);
    expect(result.output).toMatchObject({ iteration: 1, lastResult: 'ok', stoppedAt: T1 });
  });

  it('records a run that still fails after its retries and carries on at the next interval', async () => {
    const start = {
      intervalSeconds: 60,
      iteration: 4,
      lastRunAt: null,
      lastResult: 'older',
      lastError: null,
      consecutiveFailures: 2,
    };
    // Attempt ids 0, 2, 4; retry timers 1, 3, 5 (the last one ends the retry loop); the interval timer is id 6.
    const history = new History()
      .episode(T0)
      .executionStarted(PeriodicJob, start)
      .episode(T1)
      .taskFailed(0, 'boom')
      .timerFired(1, T1)
      .taskFailed(2, 'boom')
      .timerFired(3, T1)
      .taskFailed(4, 'boom')
      .timerFired(5, T1);
    const failed = await replay(PeriodicJob, history.build(), start);

    expect(failed.isDone).toBe(false);
    expect(failed.customStatus).toEqual({
      iteration: 5,
      lastRunAt: T0,
      lastResult: 'older',
      lastError: 'Error: boom',
      consecutiveFailures: 3,
    });

    const next = await replay(PeriodicJob, history.episode(T2).timerFired(6, FIRE_AT).build(), start);
    expect(next.isDone).toBe(true);
    expect(actionsOf(next).at(-1)).toMatchObject({
      actionType: ActionType.ContinueAsNew,
      input: { iteration: 5, lastError: 'Error: boom', consecutiveFailures: 3 },
    });
  });

  it('keeps only the failure reason in lastError, not the serialised exception and its stack', async () => {
    const start = { intervalSeconds: 60, iteration: 0, lastRunAt: null, lastResult: null, lastError: null };
    const reason = "Activity function 'RunJob' failed:  disk full";
    const details =
      '{"$type":"System.Exception","StackTraceString":"Error: disk full\\n    at job (/app/dist/x.js:1:1)"}';
    const history = new History()
      .episode(T0)
      .executionStarted(PeriodicJob, start)
      .episode(T1)
      .taskFailedWithDetails(0, reason, details)
      .timerFired(1, T1)
      .taskFailedWithDetails(2, reason, details)
      .timerFired(3, T1)
      .taskFailedWithDetails(4, reason, details)
      .timerFired(5, T1);
    const failed = await replay(PeriodicJob, history.build(), start);

    expect(failed.customStatus).toMatchObject({ lastError: reason, consecutiveFailures: 1 });
  });
});
