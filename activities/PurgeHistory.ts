/**
 * PurgeHistory: deletes the history of finished (Completed, Failed, Terminated) instances created before a cutoff,
 * through the durable client. The cutoff comes from the calling orchestrator so the decision stays deterministic.
 */
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { describeValue } from '../lib/errors';

export const PurgeHistory = 'PurgeHistory';

export interface PurgeHistoryInput {
  /** ISO 8601 instant: instances created before it are purged. */
  createdTimeTo: string;
}

export interface PurgeHistoryResult {
  instancesDeleted: number;
}

export interface PurgeHistoryDeps {
  getClient(context: InvocationContext): Pick<DurableClient, 'purgeInstanceHistoryBy'>;
}

export const PURGED_STATUSES = [
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
];

export function isPurgeHistoryInput(value: unknown): value is PurgeHistoryInput {
  if (typeof value !== 'object' || value === null) return false;
  const createdTimeTo = (value as Record<string, unknown>).createdTimeTo;
  return typeof createdTimeTo === 'string' && !Number.isNaN(Date.parse(createdTimeTo));
}

export function createPurgeHistory(deps: PurgeHistoryDeps) {
  return async (input: unknown, context: InvocationContext): Promise<PurgeHistoryResult> => {
    if (!isPurgeHistoryInput(input)) {
      throw new TypeError(`PurgeHistory expects { createdTimeTo: ISO date }, received ${describeValue(input)}.`);
    }
    // A purge that finds nothing is reported by the backend as 404, which the client already maps to 0.
    const result = await deps.getClient(context).purgeInstanceHistoryBy({
      createdTimeFrom: new Date(0),
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
