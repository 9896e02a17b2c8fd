/**
 * RunJob: the work PeriodicJob does on each iteration. Built by `createRunJob` over an injected `job` function; the
 * registered default job is deliberately harmless (it reports when it ran) so the app works out of the box.
 */
import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { describeValue } from '../lib/errors';

export const RunJob = 'RunJob';

export interface RunJobInput {
  iteration: number;
  /** The orchestrator's `currentUtcDateTime` for this iteration (ISO 8601). */
  scheduledAt: string;
  payload?: unknown;
}

export interface RunJobDeps {
  job(input: RunJobInput, context: InvocationContext): unknown;
}

export function isRunJobInput(value: unknown): value is RunJobInput {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.iteration === 'number' && typeof record.scheduledAt === 'string';
}

export function createRunJob(deps: RunJobDeps) {
  return async (input: unknown, context: InvocationContext): Promise<unknown> => {
    if (!isRunJobInput(input)) {
      throw new TypeError(
        `RunJob expects { iteration: number, scheduledAt: string }, received ${describeValue(input)}.`,
      );
    }
    return await deps.job(input, context);
  };
}

/** The default job: records that it ran. Replace `job` with real work. */
export function defaultJob(input: RunJobInput): { ranAt: string; iteration: number } {
  return { ranAt: new Date().toISOString(), iteration: input.iteration };
}

export const runJob = df.app.activity(RunJob, { handler: createRunJob({ job: defaultJob }) });
