/**
 * Durable timers: stored with the store (so a persistent one re-arms them after a restart), armed on the host's
 * clock, fired as a TimerFired message to their execution, and disarmed when the orchestrator cancels them or their
 * execution ends, restarts or is purged.
 */
import type { Clock, LogFn } from '../contracts';
import type { DurableStore, PendingMessage, TimerRecord } from '../store/types';
import { historyEvent, iso } from './history';
import { describe } from './names';
import type { IdleTracker } from './work';

export interface DurableTimersOptions {
  store: DurableStore;
  clock: Clock;
  log: LogFn;
  /** Counts a firing timer as outstanding work until its message is queued. */
  tracker: IdleTracker;
  /** Queues a message for an instance and wakes it. */
  enqueue(instanceId: string, message: PendingMessage): Promise<void>;
}

const timerKey = (instanceId: string, executionId: string, timerId: number): string =>
  `${instanceId}\u0000${executionId}\u0000${timerId}`;

export class DurableTimers {
  /** Cancel functions of the clock callbacks, by instance, execution and timer id. */
  private readonly armed = new Map<string, () => void>();

  constructor(private readonly options: DurableTimersOptions) {}

  /** Stores and arms an episode's new timers, in order. */
  async schedule(timers: readonly TimerRecord[]): Promise<void> {
    for (const timer of timers) {
      await this.options.store.putTimer(timer);
      this.arm(timer);
    }
  }

  /** Arms a stored timer (again): it fires at once when already due. */
  arm(timer: TimerRecord): void {
    const key = timerKey(timer.instanceId, timer.executionId, timer.timerId);
    this.armed.get(key)?.();
    const fire = (): void => {
      this.armed.delete(key);
      this.options.tracker.track(
        () => this.fire(timer),
        (err) =>
          this.options.log('error', `Timer ${timer.timerId} of '${timer.instanceId}' failed to fire: ${describe(err)}`),
      );
    };
    if (timer.fireAt <= this.options.clock.now()) {
      fire();
      return;
    }
    this.armed.set(key, this.options.clock.schedule(timer.fireAt, fire));
  }

  /**
   * Cancels a timer the orchestrator canceled: disarms it and deletes it from the store. A failed delete only leaves
   * the stored record behind (a restart would deliver a TimerFired the orchestrator no longer waits for), so it is
   * logged and the episode goes on.
   */
  async cancel(instanceId: string, executionId: string, timerId: number): Promise<void> {
    const key = timerKey(instanceId, executionId, timerId);
    this.armed.get(key)?.();
    this.armed.delete(key);
    try {
      await this.options.store.deleteTimer(instanceId, executionId, timerId);
    } catch (err) {
      this.options.log(
        'warn',
        `Canceled timer ${timerId} of '${instanceId}' could not be deleted from the store: ${describe(err)}`,
      );
    }
  }

  /** Disarms every timer of one execution (it ended or continued as new). */
  disarmExecution(instanceId: string, executionId: string): void {
    this.disarmPrefix(`${instanceId}\u0000${executionId}\u0000`);
  }

  /** Disarms every timer of an instance (it restarted as a new execution or was purged). */
  disarmInstance(instanceId: string): void {
    this.disarmPrefix(`${instanceId}\u0000`);
  }

  /** Disarms everything: the engine is shutting down. */
  dispose(): void {
    for (const cancel of this.armed.values()) cancel();
    this.armed.clear();
  }

  private disarmPrefix(prefix: string): void {
    for (const [key, cancel] of this.armed) {
      if (key.startsWith(prefix)) {
        cancel();
        this.armed.delete(key);
      }
    }
  }

  private async fire(timer: TimerRecord): Promise<void> {
    await this.options.store.deleteTimer(timer.instanceId, timer.executionId, timer.timerId);
    await this.options.enqueue(timer.instanceId, {
      kind: 'event',
      executionId: timer.executionId,
      event: historyEvent('TimerFired', this.options.clock.now(), {
        TimerId: timer.timerId,
        FireAt: iso(timer.fireAt),
      }),
    });
  }
}
