/**
 * The durable service of the local host: engine + store + clock behind the {@link DurableService} seam.
 *
 * @example
 * const durable = createDurableService({ functions, hostJson, clock: createManualClock(Date.UTC(2024, 0, 1)), log,
 *   rpcBaseUrl: () => 'http://127.0.0.1:7071/durabletask/' });
 * const res = await durable.handleHttp({ method: 'POST', url: new URL('http://127.0.0.1:7071/durabletask/orchestrators/Hello'),
 *   headers: {}, body: Buffer.alloc(0) });
 * await durable.advanceTime(60_000);
 */
import { isManualClock } from '../clock';
import type { CreateDurableService, DurableService, DurableServiceOptions } from '../contracts';
import { MemoryStore } from '../store/memory';
import type { DurableStore } from '../store/types';
import { DurableEngine } from './engine';
import { DurableHttpApi } from './http-api';
import { clientBindingJson } from './urls';

export const DEFAULT_TASK_HUB = 'TestHubName';

export interface DurableServiceInternals extends DurableService {
  readonly engine: DurableEngine;
  readonly store: DurableStore;
}

export function createDurableServiceWithStore(
  options: DurableServiceOptions,
  store: DurableStore,
): DurableServiceInternals {
  const taskHub = options.hostJson.extensions?.durableTask?.hubName ?? DEFAULT_TASK_HUB;
  // Every invocation with a client input carries this payload; it only changes with the origin (and the RPC base URL,
  // fixed once the host listens), so it is built once per pair rather than per invocation.
  const bindings = new Map<string, string>();
  const bindingJson = (origin: string): string => {
    const rpcBaseUrl = options.rpcBaseUrl();
    const key = `${origin} ${rpcBaseUrl}`;
    let json = bindings.get(key);
    if (json === undefined) {
      json = clientBindingJson(origin, taskHub, rpcBaseUrl);
      if (bindings.size >= 32) bindings.clear(); // origins come from Host headers: keep the cache small
      bindings.set(key, json);
    }
    return json;
  };
  const engine = new DurableEngine({
    store,
    functions: options.functions,
    clock: options.clock,
    log: options.log,
    hostJson: options.hostJson,
    clientBindingJson: () => bindingJson(new URL(options.rpcBaseUrl()).origin),
  });
  const api = new DurableHttpApi(engine, taskHub);
  let disposed = false;
  return {
    engine,
    store,
    clientBindingJson: bindingJson,
    handleHttp: (req) => api.handle(req),
    async advanceTime(ms: number): Promise<void> {
      const clock = options.clock;
      if (!isManualClock(clock)) {
        throw new Error(
          'advanceTime needs the manual clock; this host runs on the real clock (start it with clock: "manual").',
        );
      }
      if (!Number.isFinite(ms) || ms < 0)
        throw new Error(`advanceTime expects a non-negative number of ms, received ${ms}.`);
      const target = clock.now() + ms;
      await engine.whenIdle();
      for (;;) {
        const next = clock.nextDueAt();
        if (next === undefined || next > target) break;
        clock.setNow(next);
        clock.fireNextDue();
        await engine.whenIdle();
      }
      clock.setNow(target);
      await engine.whenIdle();
    },
    whenIdle: () => engine.whenIdle(),
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      engine.dispose();
      // In-flight invocations finish on their own; give them a moment without letting a stuck one block disposal.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        engine.whenIdle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, 2000);
        }),
      ]);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

export const createDurableService: CreateDurableService = (options) =>
  createDurableServiceWithStore(options, new MemoryStore());
