/**
 * Time sources of the local host.
 *
 * The real clock arms `setTimeout` (clamped to the 2^31-1 ms Node allows, re-armed until due). The manual clock never
 * fires by itself: the durable service moves it with `advanceTime`, one due timer at a time, so days of timer-driven
 * work run in milliseconds.
 */
import type { Clock } from './contracts';

/** Node refuses delays above a signed 32-bit millisecond count and fires them immediately instead. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function createRealClock(): Clock {
  return {
    kind: 'real',
    now: () => Date.now(),
    schedule(at: number, callback: () => void): () => void {
      let handle: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = (): void => {
        const delay = at - Date.now();
        if (delay <= 0) {
          handle = setTimeout(() => {
            if (!cancelled) callback();
          }, 0);
          return;
        }
        handle = setTimeout(arm, Math.min(delay, MAX_TIMEOUT_MS));
      };
      arm();
      return () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}

/** A clock that only moves when told to; the durable service steps it through due timers in time order. */
export interface ManualClock extends Clock {
  readonly kind: 'manual';
  /** Time of the earliest pending timer, if any. */
  nextDueAt(): number | undefined;
  /** Sets the current time (never backwards) without firing anything. */
  setNow(ms: number): void;
  /** Fires the earliest pending timer if it is due (`at <= now`); returns whether one fired. */
  fireNextDue(): boolean;
}

interface ManualEntry {
  at: number;
  seq: number;
  callback: () => void;
}

export function createManualClock(startMs: number): ManualClock {
  let now = startMs;
  let seq = 0;
  // Kept sorted by (at, seq) so equal times fire in scheduling order.
  const entries: ManualEntry[] = [];
  const insert = (entry: ManualEntry): void => {
    let i = entries.length;
    while (i > 0) {
      const prev = entries[i - 1];
      if (prev === undefined || prev.at <= entry.at) break;
      i--;
    }
    entries.splice(i, 0, entry);
  };
  return {
    kind: 'manual',
    now: () => now,
    schedule(at: number, callback: () => void): () => void {
      const entry: ManualEntry = { at, seq: seq++, callback };
      insert(entry);
      return () => {
        const i = entries.indexOf(entry);
        if (i >= 0) entries.splice(i, 1);
      };
    },
    nextDueAt: () => entries[0]?.at,
    setNow(ms: number): void {
      if (ms > now) now = ms;
    },
    fireNextDue(): boolean {
      const first = entries[0];
      if (first === undefined || first.at > now) return false;
      entries.shift();
      first.callback();
      return true;
    },
  };
}

export function isManualClock(clock: Clock): clock is ManualClock {
  return clock.kind === 'manual' && typeof (clock as Partial<ManualClock>).fireNextDue === 'function';
}
