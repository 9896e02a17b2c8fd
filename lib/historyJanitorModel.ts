/**
 * HistoryJanitor: input, state and the pure transition after each purge. Like PeriodicJob, a purge that still fails
 * after its retries is recorded and retried at the next interval rather than ending the singleton.
 */
import { asRecord, inputObject, integerField, integerOrDefault } from './inputFields';
import type { IntegerRange } from './inputFields';
import type { ParsedBody } from './requestBody';

export const HISTORY_JANITOR_NAME = 'HistoryJanitor';

export const OLDER_THAN_DAYS: IntegerRange = { min: 1, max: 3650, defaultValue: 30 };
export const JANITOR_INTERVAL_SECONDS: IntegerRange = { min: 1, max: 86_400, defaultValue: 86_400 };

const DAY_MS = 86_400_000;

export interface HistoryJanitorInput {
  olderThanDays: number;
  intervalSeconds: number;
}

export interface HistoryJanitorState extends HistoryJanitorInput {
  iteration: number;
  lastPurgeAt: string | null;
  /** Instances deleted by the last successful purge. */
  lastPurgedCount: number | null;
  totalPurged: number;
  lastError: string | null;
  consecutiveFailures: number;
}

export type HistoryJanitorStatus = Omit<HistoryJanitorState, 'olderThanDays' | 'intervalSeconds'>;

export type PurgeOutcome = { ok: true; instancesDeleted: number } | { ok: false; error: string };

export function parseHistoryJanitorInput(body: ParsedBody): HistoryJanitorInput {
  const record = inputObject(body, HISTORY_JANITOR_NAME, ['olderThanDays', 'intervalSeconds']);
  return {
    olderThanDays: integerField(record, 'olderThanDays', HISTORY_JANITOR_NAME, OLDER_THAN_DAYS),
    intervalSeconds: integerField(record, 'intervalSeconds', HISTORY_JANITOR_NAME, JANITOR_INTERVAL_SECONDS),
  };
}

const COUNT: IntegerRange = { min: 0, max: Number.MAX_SAFE_INTEGER, defaultValue: 0 };

export function toHistoryJanitorState(raw: unknown): HistoryJanitorState {
  const record = asRecord(raw);
  return {
    olderThanDays: integerOrDefault(record.olderThanDays, OLDER_THAN_DAYS),
    intervalSeconds: integerOrDefault(record.intervalSeconds, JANITOR_INTERVAL_SECONDS),
    iteration: integerOrDefault(record.iteration, COUNT),
    lastPurgeAt: typeof record.lastPurgeAt === 'string' ? record.lastPurgeAt : null,
    lastPurgedCount: typeof record.lastPurgedCount === 'number' ? record.lastPurgedCount : null,
    totalPurged: integerOrDefault(record.totalPurged, COUNT),
    lastError: typeof record.lastError === 'string' ? record.lastError : null,
    consecutiveFailures: integerOrDefault(record.consecutiveFailures, COUNT),
  };
}

/** Instances created before this instant are purged. */
export function purgeCutoff(now: Date, olderThanDays: number): Date {
  return new Date(now.getTime() - olderThanDays * DAY_MS);
}

export function nextHistoryJanitorState(
  prev: HistoryJanitorState,
  outcome: PurgeOutcome,
  ranAt: Date,
): HistoryJanitorState {
  const base = { ...prev, iteration: prev.iteration + 1, lastPurgeAt: ranAt.toISOString() };
  return outcome.ok
    ? {
        ...base,
        lastPurgedCount: outcome.instancesDeleted,
        totalPurged: prev.totalPurged + outcome.instancesDeleted,
        lastError: null,
        consecutiveFailures: 0,
      }
    : { ...base, lastError: outcome.error, consecutiveFailures: prev.consecutiveFailures + 1 };
}

export function historyJanitorStatus(state: HistoryJanitorState): HistoryJanitorStatus {
  const { iteration, lastPurgeAt, lastPurgedCount, totalPurged, lastError, consecutiveFailures } = state;
  return { iteration, lastPurgeAt, lastPurgedCount, totalPurged, lastError, consecutiveFailures };
}
