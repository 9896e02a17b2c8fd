/**
 * Jest helper: one local host per file (`scope: 'all'`, default) or per test (`scope: 'each'`), disposed
 * automatically afterwards.
 *
 * @example
 * ```ts
 * const host = useLocalHost({ clock: 'manual' });
 * it('answers 202', async () => {
 *   const res = await host().dispatch('/api/orchestrators/Counter/c1', { method: 'POST' });
 *   expect(res.status).toBe(202);
 * });
 * ```
 */

import type { InstanceStatus, LocalHostOptions } from './api';
import { LocalHost } from './api';

type Hook = (fn: () => Promise<void>, timeoutMs?: number) => void;

interface JestLifecycle {
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

export interface UseLocalHostOptions extends LocalHostOptions {
  /** `all` (default): one host for the enclosing describe/file; `each`: a fresh host per test. */
  scope?: 'all' | 'each';
  /** Timeout of the start hook. Default 60 s. */
  hookTimeoutMs?: number;
  /**
   * `waitForStatus` first awaits {@link LocalHost.whenIdle}, so that on the manual clock the first status it reads is
   * the settled one, not one of the work still in flight. Default false.
   */
  whenIdleFirst?: boolean;
}

/** A local host whose `waitForStatus` starts once nothing is running or queued (`whenIdleFirst`). */
class WhenIdleFirstLocalHost extends LocalHost {
  override async waitForStatus(...args: Parameters<LocalHost['waitForStatus']>): Promise<InstanceStatus> {
    await this.whenIdle();
    return super.waitForStatus(...args);
  }
}

function lifecycle(): JestLifecycle {
  const g = globalThis as Partial<JestLifecycle>;
  if (
    typeof g.beforeAll !== 'function' ||
    typeof g.afterAll !== 'function' ||
    typeof g.beforeEach !== 'function' ||
    typeof g.afterEach !== 'function'
  ) {
    throw new Error('useLocalHost must be called at the top level of a jest test file or inside describe()');
  }
  return g as JestLifecycle;
}

/** Registers start and disposal hooks and returns a getter for the running host. */
export function useLocalHost(options: UseLocalHostOptions = {}): () => LocalHost {
  const { scope = 'all', hookTimeoutMs = 60_000, whenIdleFirst = false, ...hostOptions } = options;
  const jest = lifecycle();
  let current: LocalHost | undefined;
  const start = async (): Promise<void> => {
    const host = whenIdleFirst ? new WhenIdleFirstLocalHost(hostOptions) : new LocalHost(hostOptions);
    current = host;
    await host.ready;
  };
  const stop = async (): Promise<void> => {
    const host = current;
    current = undefined;
    await host?.dispose();
  };
  if (scope === 'each') {
    jest.beforeEach(start, hookTimeoutMs);
    jest.afterEach(stop, hookTimeoutMs);
  } else {
    jest.beforeAll(start, hookTimeoutMs);
    jest.afterAll(stop, hookTimeoutMs);
  }
  return () => {
    if (!current) {
      throw new Error('The local host is not running (it is created in beforeAll/beforeEach of useLocalHost)');
    }
    return current;
  };
}

export {
  childPidsOf,
  collectOutput,
  descendants,
  exitCode,
  isAlive,
  portAccepts,
  waitForOutput,
  waitGone,
  waitUntil,
} from './processes';
