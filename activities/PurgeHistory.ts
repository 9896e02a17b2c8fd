/**
 * PurgeHistory: deletes the history of finished (Completed, Failed, Terminated) instances created in one window of
 * time, through the durable client. The window comes from the calling orchestrator so the decision stays
 * deterministic, and it is at most a day long, so one call's work is bounded by what was created in that window.
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { describeValue } from '../lib/errors';
import { WINDOW_MINUTES } from '../lib/historyJanitorModel';
import type { PurgeWindow } from '../lib/historyJanitorModel';

export const PurgeHistory = 'PurgeHistory';

/** ISO 8601 instants: instances created from `createdTimeFrom` to `createdTimeTo` are purged. */
export type PurgeHistoryInput = PurgeWindow;

export interface PurgeHistoryResult {
  instancesDeleted: number;
}

export interface PurgeHistoryDeps {
  getClient(context: InvocationContext): Pick<DurableClient, 'purgeInstanceHistoryBy'>;
}

/**
 * Always passed: without `runtimeStatus` the extension purges instances of every status, running ones included.
 */
export const PURGED_STATUSES = [
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
];

/** The longest window one call accepts. */
export const MAX_WINDOW_MS = WINDOW_MINUTES.max * 60_000;

export function isPurgeHistoryInput(value: unknown): value is PurgeHistoryInput {
  if (typeof value !== 'object' || value === null) return false;
  const { createdTimeFrom, createdTimeTo } = value as Record<string, unknown>;
  if (typeof createdTimeFrom !== 'string' || typeof createdTimeTo !== 'string') return false;
  const span = Date.parse(createdTimeTo) - Date.parse(createdTimeFrom);
  return span > 0 && span <= MAX_WINDOW_MS;
}

export function createPurgeHistory(deps: PurgeHistoryDeps) {
  return async (input: unknown, context: InvocationContext): Promise<PurgeHistoryResult> => {
    if (!isPurgeHistoryInput(input)) {
      throw new TypeError(
        `PurgeHistory expects { createdTimeFrom, createdTimeTo: ISO dates at most a day apart, in order }, received ${describeValue(input)}.`,
      );
    }
    // A purge that finds nothing is reported by the backend as 404, which the client already maps to 0.
    const result = await deps.getClient(context).purgeInstanceHistoryBy({
      createdTimeFrom: new Date(input.createdTimeFrom),
      createdTimeTo: new Date(input.createdTimeTo),
      runtimeStatus: PURGED_STATUSES,
    });
    return { instancesDeleted: result.instancesDeleted };
  };
}

export const purgeHistory = df.app.activity(PurgeHistory, {
  extraInputs: [df.input.durableClient()],
  handler: createPurgeHistory({ getClient: (context) => df.getClient(context) }),
});
