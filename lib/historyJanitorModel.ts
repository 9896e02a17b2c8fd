/**
 * HistoryJanitor: input, state and the pure steps of a sweep. A sweep purges the `lookbackDays` before the cutoff
 * (`olderThanDays` before the sweep started) in windows of `windowMinutes` of creation time, one PurgeHistory call per
 * window, so no single call has unbounded work. Like PeriodicJob, a sweep that fails after its retries is recorded and
 * a new sweep runs at the next interval rather than ending the singleton.
 */
import { invalidInput } from './inputFields';
import { asRecord, inputObject, integerField, integerOrDefault } from './inputFields';
import type { IntegerRange } from './inputFields';
import type { ParsedBody } from './requestBody';

export const HISTORY_JANITOR_NAME = 'HistoryJanitor';

export const OLDER_THAN_DAYS: IntegerRange = { min: 0, max: 3650, defaultValue: 30 };
export const JANITOR_INTERVAL_SECONDS: IntegerRange = { min: 1, max: 86_400, defaultValue: 86_400 };
/** Creation time one PurgeHistory call covers: an hour by default, at most a day. */
export const WINDOW_MINUTES: IntegerRange = { min: 1, max: 1440, defaultValue: 60 };
/** How far before the cutoff a sweep reaches back. */
export const LOOKBACK_DAYS: IntegerRange = { min: 1, max: 3650, defaultValue: 30 };
/** A sweep has at most this many windows (a year of hourly windows): `lookbackDays × 1440 / windowMinutes`. */
export const MAX_WINDOWS_PER_SWEEP = 8760;
/** Windows purged per generation before `continueAsNew`, so one generation's history stays small. */
export const WINDOWS_PER_GENERATION = 12;

/** `lastError` is cut to this many characters: custom status is capped at 16 KB by the extension. */
export const LAST_ERROR_MAX_CHARS = 1024;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface HistoryJanitorInput {
  olderThanDays: number;
  intervalSeconds: number;
  windowMinutes: number;
  lookbackDays: number;
}

/** The sweep in progress: its creation-time range `[from, to]`, fixed when it starts, and how far it got. */
export interface Sweep {
  startedAt: string;
  from: string;
  to: string;
  windowsDone: number;
  windowsTotal: number;
  /** Instances deleted by this sweep's windows so far. */
  purged: number;
}

export interface HistoryJanitorState extends HistoryJanitorInput {
  /** Sweeps finished (completed or failed). */
  iteration: number;
  /** When the last finished sweep started. */
  lastPurgeAt: string | null;
  /** Instances deleted by the last completed sweep. */
  lastPurgedCount: number | null;
  totalPurged: number;
  lastError: string | null;
  consecutiveFailures: number;
  sweep: Sweep | null;
}

/** One PurgeHistory call's creation-time range (ISO 8601). */
export interface PurgeWindow {
  createdTimeFrom: string;
  createdTimeTo: string;
}

/** The sweep's progress as custom status shows it: scalars only, so the status stays a few hundred bytes. */
export interface SweepStatus {
  windowsDone: number;
  windowsTotal: number;
  purged: number;
  /** The window being purged (the next one while between generations). */
  windowFrom: string;
  windowTo: string;
}

/** The state without the options, and the sweep as {@link SweepStatus}. */
export type HistoryJanitorStatus = Omit<HistoryJanitorState, keyof HistoryJanitorInput | 'sweep'> & {
  sweep: SweepStatus | null;
};

export function parseHistoryJanitorInput(body: ParsedBody): HistoryJanitorInput {
  const record = inputObject(body, HISTORY_JANITOR_NAME, [
    'olderThanDays',
    'intervalSeconds',
    'windowMinutes',
    'lookbackDays',
  ]);
  const input: HistoryJanitorInput = {
    olderThanDays: integerField(record, 'olderThanDays', HISTORY_JANITOR_NAME, OLDER_THAN_DAYS),
    intervalSeconds: integerField(record, 'intervalSeconds', HISTORY_JANITOR_NAME, JANITOR_INTERVAL_SECONDS),
    windowMinutes: integerField(record, 'windowMinutes', HISTORY_JANITOR_NAME, WINDOW_MINUTES),
    lookbackDays: integerField(record, 'lookbackDays', HISTORY_JANITOR_NAME, LOOKBACK_DAYS),
  };
  const least = leastWindowMinutes(input.lookbackDays);
  if (input.windowMinutes < least) {
    throw invalidInput(
      HISTORY_JANITOR_NAME,
      'windowMinutes',
      `at least ${least} for lookbackDays ${input.lookbackDays} (at most ${MAX_WINDOWS_PER_SWEEP} windows per sweep)`,
      input.windowMinutes,
    );
  }
  return input;
}

/** The smallest window that keeps a sweep of `lookbackDays` within {@link MAX_WINDOWS_PER_SWEEP} windows. */
function leastWindowMinutes(lookbackDays: number): number {
  return Math.max(WINDOW_MINUTES.min, Math.ceil((lookbackDays * 1440) / MAX_WINDOWS_PER_SWEEP));
}

const COUNT: IntegerRange = { min: 0, max: Number.MAX_SAFE_INTEGER, defaultValue: 0 };

export function toHistoryJanitorState(raw: unknown): HistoryJanitorState {
  const record = asRecord(raw);
  const lookbackDays = integerOrDefault(record.lookbackDays, LOOKBACK_DAYS);
  return {
    olderThanDays: integerOrDefault(record.olderThanDays, OLDER_THAN_DAYS),
    intervalSeconds: integerOrDefault(record.intervalSeconds, JANITOR_INTERVAL_SECONDS),
    windowMinutes: Math.max(integerOrDefault(record.windowMinutes, WINDOW_MINUTES), leastWindowMinutes(lookbackDays)),
    lookbackDays,
    iteration: integerOrDefault(record.iteration, COUNT),
    lastPurgeAt: typeof record.lastPurgeAt === 'string' ? record.lastPurgeAt : null,
    lastPurgedCount: typeof record.lastPurgedCount === 'number' ? record.lastPurgedCount : null,
    totalPurged: integerOrDefault(record.totalPurged, COUNT),
    lastError: typeof record.lastError === 'string' ? record.lastError : null,
    consecutiveFailures: integerOrDefault(record.consecutiveFailures, COUNT),
    sweep: toSweep(record.sweep),
  };
}

/** A carried-over sweep, or null when there is none or it does not hold together (a new sweep then starts). */
function toSweep(raw: unknown): Sweep | null {
  const record = asRecord(raw);
  const { startedAt, from, to } = record;
  if (typeof startedAt !== 'string' || typeof from !== 'string' || typeof to !== 'string') return null;
  const windowsTotal = integerOrDefault(record.windowsTotal, COUNT);
  const windowsDone = integerOrDefault(record.windowsDone, COUNT);
  if (windowsDone >= windowsTotal || [startedAt, from, to].some((t) => Number.isNaN(Date.parse(t)))) return null;
  return { startedAt, from, to, windowsDone, windowsTotal, purged: integerOrDefault(record.purged, COUNT) };
}

/** Instances created before this instant are purged. */
export function purgeCutoff(now: Date, olderThanDays: number): Date {
  return new Date(now.getTime() - olderThanDays * DAY_MS);
}

/** A new sweep at `now`: the `lookbackDays` before the cutoff, in windows of `windowMinutes`. */
export function startSweep(state: HistoryJanitorInput, now: Date): Sweep {
  const to = purgeCutoff(now, state.olderThanDays);
  const from = new Date(to.getTime() - state.lookbackDays * DAY_MS);
  const windowsTotal = Math.ceil((state.lookbackDays * 1440) / state.windowMinutes);
  return {
    startedAt: now.toISOString(),
    from: from.toISOString(),
    to: to.toISOString(),
    windowsDone: 0,
    windowsTotal,
    purged: 0,
  };
}

/** The sweep's next window: oldest first; the last one ends at the cutoff. */
export function nextWindow(sweep: Sweep, windowMinutes: number): PurgeWindow {
  const from = Date.parse(sweep.from);
  const to = Date.parse(sweep.to);
  const start = from + sweep.windowsDone * windowMinutes * MINUTE_MS;
  return {
    createdTimeFrom: new Date(start).toISOString(),
    createdTimeTo: new Date(Math.min(start + windowMinutes * MINUTE_MS, to)).toISOString(),
  };
}

/** After one window purged `instancesDeleted` instances. */
export function windowPurged(state: HistoryJanitorState, sweep: Sweep, instancesDeleted: number): HistoryJanitorState {
  return {
    ...state,
    totalPurged: state.totalPurged + instancesDeleted,
    sweep: { ...sweep, windowsDone: sweep.windowsDone + 1, purged: sweep.purged + instancesDeleted },
  };
}

/** Every window of the sweep is done. */
export function sweepCompleted(state: HistoryJanitorState, sweep: Sweep): HistoryJanitorState {
  return {
    ...state,
    iteration: state.iteration + 1,
    lastPurgeAt: sweep.startedAt,
    lastPurgedCount: sweep.purged,
    lastError: null,
    consecutiveFailures: 0,
    sweep: null,
  };
}

/** A window still failed after its retries: the sweep ends there, and the next interval starts a new one. */
export function sweepFailed(state: HistoryJanitorState, sweep: Sweep, error: string): HistoryJanitorState {
  const window = nextWindow(sweep, state.windowMinutes);
  const where = `window ${sweep.windowsDone + 1}/${sweep.windowsTotal} (${window.createdTimeFrom} to ${window.createdTimeTo})`;
  const lastError = `${where}: ${error}`;
  return {
    ...state,
    iteration: state.iteration + 1,
    lastPurgeAt: sweep.startedAt,
    lastError: lastError.length > LAST_ERROR_MAX_CHARS ? `${lastError.slice(0, LAST_ERROR_MAX_CHARS - 1)}…` : lastError,
    consecutiveFailures: state.consecutiveFailures + 1,
    sweep: null,
  };
}

export function historyJanitorStatus(state: HistoryJanitorState): HistoryJanitorStatus {
  const { iteration, lastPurgeAt, lastPurgedCount, totalPurged, lastError, consecutiveFailures, sweep } = state;
  return {
    iteration,
    lastPurgeAt,
    lastPurgedCount,
    totalPurged,
    lastError,
    consecutiveFailures,
    sweep: sweep === null ? null : sweepStatus(sweep, state.windowMinutes),
  };
}

function sweepStatus(sweep: Sweep, windowMinutes: number): SweepStatus {
  const window = nextWindow(sweep, windowMinutes);
  const { windowsDone, windowsTotal, purged } = sweep;
  return { windowsDone, windowsTotal, purged, windowFrom: window.createdTimeFrom, windowTo: window.createdTimeTo };
}
