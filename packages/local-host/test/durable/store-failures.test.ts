/**
 * The engine over a store that fails: a failed store call is handled where it is made, never left as an unhandled
 * rejection (which would end the host process). Jest fails a test on an unhandled rejection raised while it runs.
 */
import { createManualClock } from '../../src/clock';
import type { FunctionRuntime, LogFn, RegisteredFunction, RpcParameterBinding } from '../../src/contracts';
import { ActionType } from '../../src/durable/actions';
import { EventType, iso } from '../../src/durable/history';
import { createDurableServiceWithStore } from '../../src/durable/index';
import { MemoryStore } from '../../src/store/memory';

/** A memory store whose deleteTimer always rejects. */
class TimerDeleteFailingStore extends MemoryStore {
  override deleteTimer(): Promise<void> {
    return Promise.reject(new Error('storage unavailable'));
  }
}

/**
 * `Race`: waits for the event `go` or a timer an hour away, whichever comes first; when `go` comes it cancels the
 * timer and completes.
 */
function raceRuntime(): FunctionRuntime {
  const fn: RegisteredFunction = {
    name: 'Race',
    bindings: {},
    trigger: { type: 'orchestrationTrigger', name: 'trigger', direction: 'in' },
  };
  const timerAt = iso(Date.UTC(2024, 0, 1, 1));
  return {
    list: () => [fn],
    get: (name) => (name === 'Race' ? fn : undefined),
    invoke: (_name: string, inputData: RpcParameterBinding[]) => {
      const payload = JSON.parse(inputData[0]?.data.string ?? '{}') as { history: { EventType: number }[] };
      const go = payload.history.some((e) => e.EventType === EventType.EventRaised);
      const state = {
        isDone: go,
        actions: [
          [
            {
              actionType: ActionType.WhenAny,
              compoundActions: [
                { actionType: ActionType.CreateTimer, fireAt: timerAt, isCanceled: go },
                { actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' },
              ],
            },
          ],
        ],
        ...(go ? { output: 'went' } : {}),
        schemaVersion: 2,
      };
      return Promise.resolve({
        ok: true as const,
        returnValue: { json: JSON.stringify(state) },
        outputData: [],
        durationMs: 0,
      });
    },
  };
}

describe('durable engine over a failing store', () => {
  it('logs a canceled timer it could not delete and completes the orchestration', async () => {
    const logs: string[] = [];
    const log: LogFn = (level, message) => logs.push(`${level}: ${message}`);
    const store = new TimerDeleteFailingStore();
    const service = createDurableServiceWithStore(
      {
        functions: raceRuntime(),
        hostJson: {},
        clock: createManualClock(Date.UTC(2024, 0, 1)),
        log,
        rpcBaseUrl: () => 'http://127.0.0.1:1/durabletask/',
      },
      store,
    );
    await service.engine.startOrchestration('Race', 'race', null);
    await service.whenIdle();
    expect(await store.listTimers()).toHaveLength(1);

    await service.engine.raiseEvent('race', 'go', 'null');
    await service.whenIdle();
    // Unhandled rejections are reported once the microtask queue drains: give them a turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));

    expect(logs).toEqual(["warn: Canceled timer 0 of 'race' could not be deleted from the store: storage unavailable"]);
    expect(await service.engine.getInstance('race')).toMatchObject({ runtimeStatus: 'Completed', output: '"went"' });
    await service.dispose();
  });
});
