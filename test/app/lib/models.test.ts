import { applyCounterEvent, counterStatus, toCounterState } from '../../../lib/counterModel';
import { nextHistoryJanitorState, purgeCutoff, toHistoryJanitorState } from '../../../lib/historyJanitorModel';
import {
  LAST_RESULT_MAX_CHARS,
  nextPeriodicJobState,
  periodicJobStatus,
  toPeriodicJobState,
} from '../../../lib/periodicJobModel';

const AT = new Date('2026-01-01T00:00:00Z');

describe('applyCounterEvent', () => {
  const s = { value: 5, lastError: null };
  it('applies each event', () => {
    expect(applyCounterEvent(s, 'incr', undefined)).toEqual({ value: 6, lastError: null });
    expect(applyCounterEvent(s, 'incr', null)).toEqual({ value: 6, lastError: null });
    expect(applyCounterEvent(s, 'decr', 10)).toEqual({ value: -5, lastError: null });
    expect(applyCounterEvent(s, 'set', -1)).toEqual({ value: -1, lastError: null });
    expect(applyCounterEvent({ value: 5, lastError: 'x' }, 'reset', 'ignored')).toEqual({ value: 0, lastError: null });
    expect(applyCounterEvent(s, 'stop', undefined)).toBe(s);
  });

  it('rejects bad payloads without changing the value', () => {
    expect(applyCounterEvent(s, 'incr', 'two')).toEqual({
      value: 5,
      lastError: 'Event \'incr\' ignored: expected no payload or a finite number, received string "two".',
    });
    expect(applyCounterEvent(s, 'set', undefined).lastError).toBe(
      "Event 'set' ignored: expected a finite number, received undefined.",
    );
  });

  it('refuses an incr or decr whose result is not a finite number, keeping the value', () => {
    const max = { value: 1.7e308, lastError: null };
    expect(applyCounterEvent(max, 'incr', 1.7e308)).toEqual({
      value: 1.7e308,
      lastError: "Event 'incr' ignored: 1.7e+308 + 1.7e+308 is beyond the range of a number.",
    });
    expect(applyCounterEvent({ value: -1.7e308, lastError: null }, 'decr', 1.7e308)).toEqual({
      value: -1.7e308,
      lastError: "Event 'decr' ignored: -1.7e+308 - 1.7e+308 is beyond the range of a number.",
    });
  });

  it('reads state defensively and shows lastError only when there is one', () => {
    expect(toCounterState('')).toEqual({ value: 0, lastError: null });
    expect(toCounterState({ value: 'x' })).toEqual({ value: 0, lastError: null });
    expect(counterStatus({ value: 1, lastError: null })).toEqual({ value: 1 });
    expect(counterStatus({ value: 1, lastError: 'e' })).toEqual({ value: 1, lastError: 'e' });
  });
});

describe('nextPeriodicJobState', () => {
  const prev = toPeriodicJobState({ intervalSeconds: 30 });

  it('records a successful run and resets the failure count', () => {
    const failed = { ...prev, lastError: 'old', consecutiveFailures: 2 };
    expect(nextPeriodicJobState(failed, { ok: true, result: { n: 1 } }, AT)).toEqual({
      intervalSeconds: 30,
      iteration: 1,
      lastRunAt: '2026-01-01T00:00:00.000Z',
      lastResult: { n: 1 },
      lastError: null,
      consecutiveFailures: 0,
    });
  });

  it('keeps a result of up to 4,096 JSON characters and summarises a larger one (custom status is capped at 16 KB)', () => {
    const fits = 'r'.repeat(LAST_RESULT_MAX_CHARS - 2);
    expect(nextPeriodicJobState(prev, { ok: true, result: fits }, AT).lastResult).toBe(fits);
    const big = { rows: 'r'.repeat(100_000) };
    const kept = nextPeriodicJobState(prev, { ok: true, result: big }, AT).lastResult;
    expect(kept).toEqual({
      truncated: true,
      size: JSON.stringify(big).length,
      preview: JSON.stringify(big).slice(0, 256),
    });
    expect(JSON.stringify(periodicJobStatus({ ...prev, lastResult: kept })).length).toBeLessThan(8192);
  });

  it('records a failed run, keeps the last result and counts consecutive failures', () => {
    const ok = { ...prev, lastResult: 'good' };
    const once = nextPeriodicJobState(ok, { ok: false, error: 'boom' }, AT);
    const twice = nextPeriodicJobState(once, { ok: false, error: 'boom again' }, AT);
    expect(twice).toMatchObject({ iteration: 2, lastResult: 'good', lastError: 'boom again', consecutiveFailures: 2 });
  });

  it('falls back to defaults for malformed state', () => {
    expect(toPeriodicJobState({ intervalSeconds: 0, iteration: -1 })).toEqual({
      intervalSeconds: 60,
      iteration: 0,
      lastRunAt: null,
      lastResult: null,
      lastError: null,
      consecutiveFailures: 0,
    });
  });
});

describe('nextHistoryJanitorState', () => {
  it('adds up purged instances and records failures', () => {
    const start = toHistoryJanitorState(undefined);
    expect(start).toMatchObject({ olderThanDays: 30, intervalSeconds: 86_400, totalPurged: 0 });
    const one = nextHistoryJanitorState(start, { ok: true, instancesDeleted: 3 }, AT);
    const two = nextHistoryJanitorState(one, { ok: false, error: 'down' }, AT);
    const three = nextHistoryJanitorState(two, { ok: true, instancesDeleted: 2 }, AT);
    expect(two).toMatchObject({
      iteration: 2,
      lastPurgedCount: 3,
      totalPurged: 3,
      lastError: 'down',
      consecutiveFailures: 1,
    });
    expect(three).toMatchObject({
      iteration: 3,
      lastPurgedCount: 2,
      totalPurged: 5,
      lastError: null,
      consecutiveFailures: 0,
    });
  });

  it('computes the purge cutoff in whole days', () => {
    expect(purgeCutoff(AT, 1).toISOString()).toBe('2025-12-31T00:00:00.000Z');
  });
});
