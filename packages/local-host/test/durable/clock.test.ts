import { createManualClock, createRealClock, isManualClock } from '../../src/clock';

describe('createManualClock', () => {
  it('fires only due timers, one at a time, in time order then scheduling order', () => {
    const clock = createManualClock(1000);
    const fired: string[] = [];
    clock.schedule(3000, () => fired.push('c'));
    clock.schedule(2000, () => fired.push('a'));
    clock.schedule(2000, () => fired.push('b'));
    const cancel = clock.schedule(2500, () => fired.push('cancelled'));
    cancel();
    expect(clock.nextDueAt()).toBe(2000);
    expect(clock.fireNextDue()).toBe(false);
    clock.setNow(2000);
    expect(clock.fireNextDue()).toBe(true);
    expect(fired).toEqual(['a']);
    expect(clock.fireNextDue()).toBe(true);
    expect(clock.fireNextDue()).toBe(false);
    expect(fired).toEqual(['a', 'b']);
    clock.setNow(10_000);
    clock.setNow(5); // never backwards
    expect(clock.now()).toBe(10_000);
    expect(clock.fireNextDue()).toBe(true);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.nextDueAt()).toBeUndefined();
  });

  it('is recognised as manual, the real clock is not', () => {
    expect(isManualClock(createManualClock(0))).toBe(true);
    expect(isManualClock(createRealClock())).toBe(false);
  });
});

describe('createRealClock', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('re-arms timers longer than setTimeout allows and fires them at their time', () => {
    jest.useFakeTimers({ now: 0 });
    const clock = createRealClock();
    const fired = jest.fn();
    const at = 2 ** 31 + 5_000;
    clock.schedule(at, fired);
    jest.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(5_000);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('does not fire a cancelled timer', () => {
    jest.useFakeTimers({ now: 0 });
    const clock = createRealClock();
    const fired = jest.fn();
    clock.schedule(100, fired)();
    jest.advanceTimersByTime(1000);
    expect(fired).not.toHaveBeenCalled();
  });
});
