/**
 * HistoryJanitor: an eternal singleton that purges the history of Completed/Failed/Terminated instances older than
 * `olderThanDays`, every `intervalSeconds`, through the PurgeHistory activity. A failed purge is recorded and retried
 * at the next interval; `stop` ends it with its final state.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { PurgeHistory } from '../activities/PurgeHistory';
import type { PurgeHistoryInput, PurgeHistoryResult } from '../activities/PurgeHistory';
import type { OrchestratorName } from '../lib/catalog';
import { singletonInput } from '../lib/startToken';
import { failureSummary } from '../lib/errors';
import { activityRetryOptions, waitForNextIteration } from '../lib/eternal';
import {
  HISTORY_JANITOR_NAME,
  historyJanitorStatus,
  nextHistoryJanitorState,
  purgeCutoff,
  toHistoryJanitorState,
} from '../lib/historyJanitorModel';
import type { HistoryJanitorState, PurgeOutcome } from '../lib/historyJanitorModel';

export const HistoryJanitor: OrchestratorName = HISTORY_JANITOR_NAME;

export interface HistoryJanitorFinalState extends HistoryJanitorState {
  stoppedAt: string;
}

function deletedCount(result: unknown): number {
  const count = (result as Partial<PurgeHistoryResult> | null)?.instancesDeleted;
  return typeof count === 'number' ? count : 0;
}

export function* historyJanitorOrchestrator(
  context: OrchestrationContext,
): Generator<Task, HistoryJanitorFinalState | undefined, unknown> {
  const { input: startInput, carry } = singletonInput(context);
  const state = toHistoryJanitorState(startInput);
  const ranAt = context.df.currentUtcDateTime;
  context.df.setCustomStatus(historyJanitorStatus(state));

  const input: PurgeHistoryInput = { createdTimeTo: purgeCutoff(ranAt, state.olderThanDays).toISOString() };
  let outcome: PurgeOutcome;
  try {
    const result: unknown = yield context.df.callActivityWithRetry(PurgeHistory, activityRetryOptions(), input);
    outcome = { ok: true, instancesDeleted: deletedCount(result) };
  } catch (err) {
    outcome = { ok: false, error: failureSummary(err) };
  }
  const next = nextHistoryJanitorState(state, outcome, ranAt);
  context.df.setCustomStatus(historyJanitorStatus(next));

  if ((yield* waitForNextIteration(context, next.intervalSeconds)) === 'stop') {
    return { ...next, stoppedAt: context.df.currentUtcDateTime.toISOString() };
  }
  context.df.continueAsNew(carry(next));
  return undefined;
}

df.app.orchestration(HistoryJanitor, historyJanitorOrchestrator);
