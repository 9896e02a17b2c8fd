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
import { singletonInput } from '../lib/startToken';
import { failureSummary } from '../lib/errors';
import { STOP_EVENT, activityRetryOptions, waitForNextIteration } from '../lib/eternal';
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

export interface HistoryJanitorFinalState extends HistoryJanitorState {
  stoppedAt: string;
}

/** How a generation's windows ended: `stop` arrived, the sweep has windows left, or the sweep is over. */
interface GenerationEnd {
  kind: 'stopped' | 'moreWindows' | 'swept';
  state: HistoryJanitorState;
}

function deletedCount(result: unknown): number {
  const count = (result as Partial<PurgeHistoryResult> | null)?.instancesDeleted;
  return typeof count === 'number' ? count : 0;
}

/**
 * Purges the sweep's next windows, one activity call each, raced against `stop` (a `stop` that no wait consumes
 * before `continueAsNew` would be lost), updating the custom status after each.
 */
function* purgeWindows(
  context: OrchestrationContext,
  start: HistoryJanitorState,
  first: Sweep,
): Generator<Task, GenerationEnd, unknown> {
  let state = start;
  let sweep = first;
  for (let n = 0; n < WINDOWS_PER_GENERATION; n += 1) {
    const input: PurgeHistoryInput = nextWindow(sweep, state.windowMinutes);
    const purge = context.df.callActivityWithRetry(PurgeHistory, activityRetryOptions(), input);
    const stop = context.df.waitForExternalEvent(STOP_EVENT);
    if ((yield context.df.Task.any([purge, stop])) === stop) return { kind: 'stopped', state };
    if (purge.isFaulted) return { kind: 'swept', state: sweepFailed(state, sweep, failureSummary(purge.result)) };

    state = windowPurged(state, sweep, deletedCount(purge.result));
    sweep = state.sweep ?? sweep;
    if (sweep.windowsDone >= sweep.windowsTotal) return { kind: 'swept', state: sweepCompleted(state, sweep) };
    context.df.setCustomStatus(historyJanitorStatus(state));
  }
  return { kind: 'moreWindows', state };
}

export function* historyJanitorOrchestrator(
  context: OrchestrationContext,
): Generator<Task, HistoryJanitorFinalState | undefined, unknown> {
  const { input: startInput, carry } = singletonInput(context);
  const carried = toHistoryJanitorState(startInput);
  const sweep = carried.sweep ?? startSweep(carried, context.df.currentUtcDateTime);
  const state: HistoryJanitorState = { ...carried, sweep };
  context.df.setCustomStatus(historyJanitorStatus(state));

  const end = yield* purgeWindows(context, state, sweep);
  context.df.setCustomStatus(historyJanitorStatus(end.state));
  if (end.kind === 'stopped') return { ...end.state, stoppedAt: context.df.currentUtcDateTime.toISOString() };
  if (end.kind === 'swept' && (yield* waitForNextIteration(context, end.state.intervalSeconds)) === 'stop') {
    return { ...end.state, stoppedAt: context.df.currentUtcDateTime.toISOString() };
  }
  context.df.continueAsNew(carry(end.state));
  return undefined;
}

df.app.orchestration(HistoryJanitor, historyJanitorOrchestrator);
