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

/**
 * The most JSON characters of a run's result kept in the state (and so in custom status and the next generation's
 * input). The extension fails an orchestration whose custom status exceeds 16 KB of UTF-16 (8,192 characters); 4,096
 * leaves room for the other fields. A larger result is replaced by a summary.
 */
export const LAST_RESULT_MAX_CHARS = 4096;
const PREVIEW_CHARS = 256;

export interface TruncatedResult {
  truncated: true;
  /** JSON characters of the full result. */
  size: number;
  /** Its first characters, as JSON text. */
  preview: string;
}

/** The result as kept: itself when its JSON is at most {@link LAST_RESULT_MAX_CHARS} characters, else a summary. */
export function boundedResult(result: unknown): unknown {
  if (result === undefined || result === null) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch {
    json = undefined;
  }
  if (json === undefined) return { truncated: true, size: 0, preview: '(not JSON-serialisable)' };
  if (json.length <= LAST_RESULT_MAX_CHARS) return result;
  const summary: TruncatedResult = { truncated: true, size: json.length, preview: json.slice(0, PREVIEW_CHARS) };
  return summary;
}

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
    ? { ...base, lastResult: boundedResult(outcome.result), lastError: null, consecutiveFailures: 0 }
    : { ...base, lastError: outcome.error, consecutiveFailures: prev.consecutiveFailures + 1 };
}

export function periodicJobStatus(state: PeriodicJobState): PeriodicJobStatus {
  const { iteration, lastRunAt, lastResult, lastError, consecutiveFailures } = state;
  return { iteration, lastRunAt, lastResult, lastError, consecutiveFailures };
}
