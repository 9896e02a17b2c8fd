import { applyCounterEvent, counterStatus, toCounterState } from '../../../lib/counterModel';
import {
  LAST_ERROR_MAX_CHARS,
  historyJanitorStatus,
  nextWindow,
  purgeCutoff,
  startSweep,
  sweepCompleted,
  sweepFailed,
  toHistoryJanitorState,
  windowPurged,
} from '../../../lib/historyJanitorModel';
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

describe('HistoryJanitor sweeps', () => {
  const janitor = (raw: unknown = {}) => toHistoryJanitorState(raw);

  it('defaults an absent input and starts without a sweep', () => {
    expect(janitor(undefined)).toMatchObject({
      olderThanDays: 30,
      intervalSeconds: 86_400,
      windowMinutes: 60,
      lookbackDays: 30,
      totalPurged: 0,
      sweep: null,
    });
  });

  it('splits the lookback before the cutoff into windows, the last one ending at the cutoff', () => {
    const state = janitor({ olderThanDays: 1, windowMinutes: 600, lookbackDays: 1 });
    const sweep = startSweep(state, AT);
    expect(sweep).toEqual({
      startedAt: '2026-01-01T00:00:00.000Z',
      from: '2025-12-30T00:00:00.000Z',
      to: '2025-12-31T00:00:00.000Z',
      windowsDone: 0,
      windowsTotal: 3,
      purged: 0,
    });
    const windows = [0, 1, 2].map((windowsDone) => nextWindow({ ...sweep, windowsDone }, 600));
    expect(windows).toEqual([
      { createdTimeFrom: '2025-12-30T00:00:00.000Z', createdTimeTo: '2025-12-30T10:00:00.000Z' },
      { createdTimeFrom: '2025-12-30T10:00:00.000Z', createdTimeTo: '2025-12-30T20:00:00.000Z' },
      { createdTimeFrom: '2025-12-30T20:00:00.000Z', createdTimeTo: '2025-12-31T00:00:00.000Z' },
    ]);
  });

  it('adds up purged instances per window and per sweep, and records a failed sweep', () => {
    const start = janitor({ windowMinutes: 720, lookbackDays: 1 });
    const sweep = startSweep(start, AT);
    const one = windowPurged({ ...start, sweep }, sweep, 3);
    expect(one).toMatchObject({ totalPurged: 3, sweep: { windowsDone: 1, purged: 3 } });
    const failed = sweepFailed(one, one.sweep!, 'down');
    expect(failed).toMatchObject({
      iteration: 1,
      lastPurgeAt: AT.toISOString(),
      lastPurgedCount: null,
      totalPurged: 3,
      lastError: 'window 2/2 (2025-12-01T12:00:00.000Z to 2025-12-02T00:00:00.000Z): down',
      consecutiveFailures: 1,
      sweep: null,
    });
    const again = windowPurged(failed, sweep, 2);
    expect(sweepCompleted(again, again.sweep!)).toMatchObject({
      iteration: 2,
      lastPurgedCount: 2,
      totalPurged: 5,
      lastError: null,
      consecutiveFailures: 0,
      sweep: null,
    });
  });

  it(`keeps lastError within ${LAST_ERROR_MAX_CHARS} characters`, () => {
    const state = janitor({});
    const failed = sweepFailed(state, startSweep(state, AT), 'x'.repeat(20_000));
    expect(failed.lastError).toHaveLength(LAST_ERROR_MAX_CHARS);
    expect(failed.lastError?.endsWith('…')).toBe(true);
  });

  it('drops a carried sweep that does not hold together, and widens a window too small for the lookback', () => {
    const sweep = startSweep(janitor({}), AT);
    expect(janitor({ sweep }).sweep).toEqual(sweep);
    expect(janitor({ sweep: { ...sweep, windowsDone: sweep.windowsTotal } }).sweep).toBeNull();
    expect(janitor({ sweep: { ...sweep, from: 'soon' } }).sweep).toBeNull();
    expect(janitor({ sweep: 'x' }).sweep).toBeNull();
    expect(janitor({ windowMinutes: 1, lookbackDays: 3650 }).windowMinutes).toBe(600);
  });

  it('keeps custom status small and free of the options', () => {
    const state = janitor({});
    const status = historyJanitorStatus({ ...state, sweep: startSweep(state, AT), lastError: 'x'.repeat(2000) });
    expect(Object.keys(status).sort()).toEqual([
      'consecutiveFailures',
      'iteration',
      'lastError',
      'lastPurgeAt',
      'lastPurgedCount',
      'sweep',
      'totalPurged',
    ]);
    expect(JSON.stringify(status).length).toBeLessThan(4096);
  });

  it('computes the purge cutoff in whole days', () => {
    expect(purgeCutoff(AT, 1).toISOString()).toBe('2025-12-31T00:00:00.000Z');
  });
});
