/**
 * PeriodicJob: input, state and the pure transition after each run. A run that still fails after its retries is
 * recorded (`lastError`, `consecutiveFailures`) and the job carries on at the next interval: a singleton background
 * job should survive a transient outage of whatever it calls, and the failure stays visible in its custom status.
 */
import { asRecord, inputObject, integerField, integerOrDefault } from './inputFields';
import type { IntegerRange } from './inputFields';
import type { ParsedBody } from './requestBody';

export const PERIODIC_JOB_NAME = 'PeriodicJob';

export const INTERVAL_SECONDS: IntegerRange = { min: 1, max: 86_400, defaultValue: 60 };

export interface PeriodicJobInput {
  intervalSeconds: number;
  /** Passed unchanged to every run of the job. */
  payload?: unknown;
}

export interface PeriodicJobState extends PeriodicJobInput {
  /** Number of runs done so far (0 before the first one). */
  iteration: number;
  lastRunAt: string | null;
  lastResult: unknown;
  lastError: string | null;
  consecutiveFailures: number;
}

export interface PeriodicJobStatus {
  iteration: number;
  lastRunAt: string | null;
  lastResult: unknown;
  lastError: string | null;
  consecutiveFailures: number;
}

export type RunOutcome = { ok: true; result: unknown } | { ok: false; error: string };

export function parsePeriodicJobInput(body: ParsedBody): PeriodicJobInput {
  const record = inputObject(body, PERIODIC_JOB_NAME, ['intervalSeconds', 'payload']);
  const intervalSeconds = integerField(record, 'intervalSeconds', PERIODIC_JOB_NAME, INTERVAL_SECONDS);
  return record.payload === undefined ? { intervalSeconds } : { intervalSeconds, payload: record.payload };
}

/** Orchestrator side: input (`""` or undefined when started without one) or carried-over state → a full state. */
export function toPeriodicJobState(raw: unknown): PeriodicJobState {
  const record = asRecord(raw);
  const state: PeriodicJobState = {
    intervalSeconds: integerOrDefault(record.intervalSeconds, INTERVAL_SECONDS),
    iteration: integerOrDefault(record.iteration, { min: 0, max: Number.MAX_SAFE_INTEGER, defaultValue: 0 }),
    lastRunAt: typeof record.lastRunAt === 'string' ? record.lastRunAt : null,
    lastResult: record.lastResult ?? null,
    lastError: typeof record.lastError === 'string' ? record.lastError : null,
    consecutiveFailures: integerOrDefault(record.consecutiveFailures, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      defaultValue: 0,
    }),
  };
  if (record.payload !== undefined) {
    state.payload = record.payload;
  }
  return state;
}

/** The state after one run that started at `ranAt`. */
export function nextPeriodicJobState(prev: PeriodicJobState, outcome: RunOutcome, ranAt: Date): PeriodicJobState {
  const base = { ...prev, iteration: prev.iteration + 1, lastRunAt: ranAt.toISOString() };
  return outcome.ok
    ? { ...base, lastResult: outcome.result ?? null, lastError: null, consecutiveFailures: 0 }
    : { ...base, lastError: outcome.error, consecutiveFailures: prev.consecutiveFailures + 1 };
}

export function periodicJobStatus(state: PeriodicJobState): PeriodicJobStatus {
  const { iteration, lastRunAt, lastResult, lastError, consecutiveFailures } = state;
  return { iteration, lastRunAt, lastResult, lastError, consecutiveFailures };
}
