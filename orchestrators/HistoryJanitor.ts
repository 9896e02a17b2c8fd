/**
 * HistoryJanitor: an eternal singleton that, every `intervalSeconds`, sweeps the history of Completed/Failed/Terminated
 * instances created in the `lookbackDays` before its cutoff (`olderThanDays` ago) through the PurgeHistory activity —
 * one call per window of `windowMinutes` of creation time, oldest first, at most {@link WINDOWS_PER_GENERATION} per
 * generation (a longer sweep continues as new at once). Custom status shows the sweep's progress. A window that still
 * fails after its retries ends the sweep and is recorded; the next interval starts a new one. `stop` ends it, also in
 * the middle of a sweep, with its final state.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { PurgeHistory } from '../activities/PurgeHistory';
import type { PurgeHistoryInput, PurgeHistoryResult } from '../activities/PurgeHistory';
import type { OrchestratorName } from '../lib/catalog';
import { failureSummary } from '../lib/errors';
import { STOP_EVENT, activityRetryOptions, runGeneration } from '../lib/eternal';
import type { GenerationEnd, StoppedState } from '../lib/eternal';
import {
  HISTORY_JANITOR_NAME,
  WINDOWS_PER_GENERATION,
  historyJanitorStatus,
  nextWindow,
  startSweep,
  sweepCompleted,
  sweepFailed,
  toHistoryJanitorState,
  windowPurged,
} from '../lib/historyJanitorModel';
import type { HistoryJanitorState, Sweep } from '../lib/historyJanitorModel';

export const HistoryJanitor: OrchestratorName = HISTORY_JANITOR_NAME;

export type HistoryJanitorFinalState = StoppedState<HistoryJanitorState>;

/** A generation's state: the carried sweep, or a new one when none is in progress. */
type SweepingState = HistoryJanitorState & { sweep: Sweep };

function deletedCount(result: unknown): number {
  const count = (result as Partial<PurgeHistoryResult> | null)?.instancesDeleted;
  return typeof count === 'number' ? count : 0;
}

/**
 * Purges the sweep's next windows, one activity call each, raced against `stop` (a `stop` that no wait consumes
 * before `continueAsNew` would be lost), updating the custom status after each. A sweep that ends waits the
 * interval; one with windows left continues as new at once.
 */
function* purgeWindows(
  context: OrchestrationContext,
  start: SweepingState,
): Generator<Task, GenerationEnd<HistoryJanitorState>, unknown> {
  let state: HistoryJanitorState = start;
  let sweep = start.sweep;
  const swept = (end: HistoryJanitorState): GenerationEnd<HistoryJanitorState> => ({
    then: 'wait',
    state: end,
    intervalSeconds: end.intervalSeconds,
  });
  for (let n = 0; n < WINDOWS_PER_GENERATION; n += 1) {
    const input: PurgeHistoryInput = nextWindow(sweep, state.windowMinutes);
    const purge = context.df.callActivityWithRetry(PurgeHistory, activityRetryOptions(), input);
    const stop = context.df.waitForExternalEvent(STOP_EVENT);
    if ((yield context.df.Task.any([purge, stop])) === stop) return { then: 'stop', state };
    if (purge.isFaulted) return swept(sweepFailed(state, sweep, failureSummary(purge.result)));

    state = windowPurged(state, sweep, deletedCount(purge.result));
    sweep = state.sweep ?? sweep;
    if (sweep.windowsDone >= sweep.windowsTotal) return swept(sweepCompleted(state, sweep));
    context.df.setCustomStatus(historyJanitorStatus(state));
  }
  return { then: 'continueAsNew', state };
}

export function* historyJanitorOrchestrator(
  context: OrchestrationContext,
): Generator<Task, HistoryJanitorFinalState | undefined, unknown> {
  return yield* runGeneration<HistoryJanitorState, SweepingState>(context, {
    begin: (input) => {
      const carried = toHistoryJanitorState(input);
      return { ...carried, sweep: carried.sweep ?? startSweep(carried, context.df.currentUtcDateTime) };
    },
    status: historyJanitorStatus,
    run: (state) => purgeWindows(context, state),
  });
}

df.app.orchestration(HistoryJanitor, historyJanitorOrchestrator);
