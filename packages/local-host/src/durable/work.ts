/**
 * Work accounting for the engine: a counting semaphore (host.json `maxConcurrent*` limits) and an idle tracker that
 * knows when no episode, activity or entity batch is running or queued (`whenIdle`, the heart of `advanceTime`).
 */

export class Semaphore {
  private available: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.available = Math.max(1, Math.floor(limit));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.available++;
    }
  }
}

export class IdleTracker {
  private busy = 0;
  private waiters: (() => void)[] = [];

  /** Counts `task` as outstanding work from this call (synchronously) until it settles; errors go to `onError`. */
  track(task: () => Promise<void>, onError: (err: unknown) => void): void {
    this.busy++;
    void (async () => {
      try {
        await task();
      } catch (err) {
        onError(err);
      } finally {
        this.busy--;
        if (this.busy === 0) this.release();
      }
    })();
  }

  get outstanding(): number {
    return this.busy;
  }

  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.busy > 0) {
          this.waiters.push(check);
          return;
        }
        // Settled promise chains may still be about to start follow-up work; look again after the current turn.
        setImmediate(() => {
          if (this.busy === 0) resolve();
          else this.waiters.push(check);
        });
      };
      check();
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
