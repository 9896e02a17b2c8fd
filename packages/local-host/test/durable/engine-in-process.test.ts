/**
 * The engine in-process over a scripted function runtime (no SDK): checks that need many episodes or a look inside
 * the store.
 */
import { createManualClock, createRealClock } from '../../src/clock';
import type { FunctionRuntime, RegisteredFunction, RpcParameterBinding } from '../../src/contracts';
import { ActionType } from '../../src/durable/actions';
import { createDurableServiceWithStore } from '../../src/durable/index';
import { MemoryStore } from '../../src/store/memory';

type Script = (payload: { input: any; history: { EventType: number }[] }) => Record<string, unknown>;

function scriptedRuntime(script: Script, seen: number[]): FunctionRuntime {
  const fn: RegisteredFunction = {
    name: 'Loop',
    bindings: {},
    trigger: { type: 'orchestrationTrigger', name: 'trigger', direction: 'in' },
  };
  return {
    list: () => [fn],
    get: (name) => (name === 'Loop' ? fn : undefined),
    invoke: (_name: string, inputData: RpcParameterBinding[]) => {
      const payload = JSON.parse(inputData[0]?.data.string ?? '{}');
      seen.push(payload.history.length);
      return Promise.resolve({
        ok: true as const,
        returnValue: { json: JSON.stringify(script(payload)) },
        outputData: [],
        durationMs: 0,
      });
    },
  };
}

const request = (method: string, path: string, body = '') => ({
  method,
  url: new URL(`http://127.0.0.1:1${path}`),
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(body),
});

describe('durable engine in process', () => {
  it('keeps history and stored state flat over 100,000 continue-as-new generations', async () => {
    const LIMIT = 100_000;
    const seen: number[] = [];
    const store = new MemoryStore();
    const service = createDurableServiceWithStore(
      {
        functions: scriptedRuntime(
          ({ input }) =>
            input.n >= LIMIT
              ? { isDone: true, actions: [[]], output: input.n, schemaVersion: 2 }
              : {
                  isDone: true,
                  actions: [[{ actionType: ActionType.ContinueAsNew, input: { n: input.n + 1 } }]],
                  schemaVersion: 2,
                },
          seen,
        ),
        hostJson: {},
        clock: createManualClock(0),
        log: () => undefined,
        rpcBaseUrl: () => 'http://127.0.0.1:1/durabletask/',
      },
      store,
    );
    const res = await service.handleHttp(request('POST', '/durabletask/orchestrators/Loop/loop', '{"n":0}'));
    expect(res?.status).toBe(202);
    await service.whenIdle();
    const status = await service.handleHttp(request('GET', '/durabletask/instances/loop'));
    expect(JSON.parse(String(status?.body))).toMatchObject({ runtimeStatus: 'Completed', output: LIMIT });
    expect(seen).toHaveLength(LIMIT + 1);
    expect(Math.max(...seen)).toBe(2); // OrchestratorStarted + ExecutionStarted, every generation
    expect(store.stats()).toEqual({ instances: 1, executions: 1, historyEvents: 4, messages: 0, timers: 0 });
    await service.dispose();
  }, 60_000);

  it('rejects advanceTime on the real clock with a clear error', async () => {
    const service = createDurableServiceWithStore(
      {
        functions: scriptedRuntime(() => ({ isDone: true, actions: [[]], schemaVersion: 2 }), []),
        hostJson: {},
        clock: createRealClock(),
        log: () => undefined,
        rpcBaseUrl: () => 'http://127.0.0.1:1/durabletask/',
      },
      new MemoryStore(),
    );
    await expect(service.advanceTime(1000)).rejects.toThrow(
      'advanceTime needs the manual clock; this host runs on the real clock',
    );
    expect(await service.handleHttp(request('GET', '/api/elsewhere'))).toBeUndefined();
    await service.dispose();
    await service.dispose();
  });

  it('fires timers with the real clock through setTimeout', async () => {
    const service = createDurableServiceWithStore(
      {
        functions: scriptedRuntime(({ history }) => {
          const fired = history.some((e) => e.EventType === 11);
          return fired
            ? {
                isDone: true,
                actions: [
                  [{ fireAt: new Date(0).toISOString(), isCanceled: false, actionType: ActionType.CreateTimer }],
                ],
                output: 'fired',
                schemaVersion: 2,
              }
            : {
                isDone: false,
                actions: [
                  [
                    {
                      fireAt: new Date(Date.now() + 20).toISOString(),
                      isCanceled: false,
                      actionType: ActionType.CreateTimer,
                    },
                  ],
                ],
                schemaVersion: 2,
              };
        }, []),
        hostJson: {},
        clock: createRealClock(),
        log: () => undefined,
        rpcBaseUrl: () => 'http://127.0.0.1:1/durabletask/',
      },
      new MemoryStore(),
    );
    await service.handleHttp(request('POST', '/durabletask/orchestrators/Loop/real'));
    let output: unknown;
    for (let i = 0; i < 200 && output === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const body = JSON.parse(String((await service.handleHttp(request('GET', '/durabletask/instances/real')))?.body));
      if (body.runtimeStatus === 'Completed') output = body.output;
    }
    expect(output).toBe('fired');
    await service.dispose();
  });
});
