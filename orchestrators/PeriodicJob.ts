/**
 * PeriodicJob: an eternal singleton that runs the RunJob activity (with retries) every `intervalSeconds`, one run
 * per generation. A run that still fails after its retries is recorded in the state and custom status
 * (`lastError`, `consecutiveFailures`) and the job carries on: one bad run must not end the singleton silently.
 * `stop` ends it after the current run with its final state (Completed).
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { RunJob } from '../activities/RunJob';
import type { RunJobInput } from '../activities/RunJob';
import type { OrchestratorName } from '../lib/catalog';
import { failureSummary } from '../lib/errors';
import { activityRetryOptions, runGeneration } from '../lib/eternal';
import type { StoppedState } from '../lib/eternal';
import {
  PERIODIC_JOB_NAME,
  nextPeriodicJobState,
  periodicJobStatus,
  toPeriodicJobState,
} from '../lib/periodicJobModel';
import type { PeriodicJobState, RunOutcome } from '../lib/periodicJobModel';

export const PeriodicJob: OrchestratorName = PERIODIC_JOB_NAME;

export type PeriodicJobFinalState = StoppedState<PeriodicJobState>;

export function* periodicJobOrchestrator(
  context: OrchestrationContext,
): Generator<Task, PeriodicJobFinalState | undefined, unknown> {
  return yield* runGeneration(context, {
    begin: toPeriodicJobState,
    status: periodicJobStatus,
    *run(state) {
      const ranAt = context.df.currentUtcDateTime;
      const input: RunJobInput = { iteration: state.iteration + 1, scheduledAt: ranAt.toISOString() };
      if (state.payload !== undefined) {
        input.payload = state.payload;
      }
      let outcome: RunOutcome;
      try {
        const result: unknown = yield context.df.callActivityWithRetry(RunJob, activityRetryOptions(), input);
        outcome = { ok: true, result };
      } catch (err) {
        outcome = { ok: false, error: failureSummary(err) };
      }
      const next = nextPeriodicJobState(state, outcome, ranAt);
      return { then: 'wait', state: next, intervalSeconds: next.intervalSeconds };
    },
  });
}

df.app.orchestration(PeriodicJob, periodicJobOrchestrator);
