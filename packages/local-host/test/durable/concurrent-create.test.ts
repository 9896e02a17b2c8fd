/**
 * Concurrent creates of one instance ID at the engine and store level, as the Azure Storage provider does them
 * (contract §4.1b): the dedupe check is a read, the start message is enqueued before the instance record is written,
 * and a lost record write is ignored, so every start that read no active instance resolves successfully. Exactly one
 * execution runs — the one whose record write won — and the losers' start messages are discarded when processed
 * without leaving a trace. A scripted function runtime (no SDK) lets the test look inside the store.
 */
import { createManualClock } from '../../src/clock';
import type { FunctionRuntime, RegisteredFunction, RpcParameterBinding } from '../../src/contracts';
import { ActionType } from '../../src/durable/actions';
import { createDurableServiceWithStore } from '../../src/durable/index';
import type { DurableServiceInternals } from '../../src/durable/index';
import { MemoryStore } from '../../src/store/memory';

interface Payload {
  input: unknown;
  history: { EventType: number; Result?: string }[];
}

const EXECUTION_STARTED = 0;
const TASK_COMPLETED = 5;
const EVENT_RAISED = 15;

const orchestrator: RegisteredFunction = {
  name: 'Once',
  bindings: {},
  trigger: { type: 'orchestrationTrigger', name: 'context', direction: 'in' },
};
const activity: RegisteredFunction = {
  name: 'Work',
  bindings: {},
  trigger: { type: 'activityTrigger', name: 'input', direction: 'in' },
};

/**
 * `Once` calls `Work` with its input, then waits for the event `Go` and completes with the activity's result; `Work`
 * records every input it is run with. The wait keeps the execution running while the losing start messages are
 * processed.
 */
function runtime(workedOn: unknown[]): FunctionRuntime {
  const returning = (value: unknown) =>
    Promise.resolve({ ok: true as const, returnValue: { json: JSON.stringify(value) }, outputData: [], durationMs: 0 });
  return {
    list: () => [orchestrator, activity],
    get: (name) => [orchestrator, activity].find((f) => f.name === name),
    invoke: (name: string, inputData: RpcParameterBinding[]) => {
      const text = inputData[0]?.data.string ?? 'null';
      if (name === 'Work') {
        workedOn.push(JSON.parse(text));
        return returning({ worked: JSON.parse(text) as unknown });
      }
      const payload = JSON.parse(text) as Payload;
      const worked = payload.history.find((e) => e.EventType === TASK_COMPLETED);
      const go = payload.history.some((e) => e.EventType === EVENT_RAISED);
      // durable-functions sends an activity's input already serialised.
      const work = { actionType: ActionType.CallActivity, functionName: 'Work', input: JSON.stringify(payload.input) };
      if (worked === undefined) return returning({ isDone: false, actions: [[work]], schemaVersion: 2 });
      const actions = [[work], [{ actionType: ActionType.WaitForExternalEvent, externalEventName: 'Go' }]];
      return returning(
        go
          ? { isDone: true, actions, output: JSON.parse(worked.Result ?? 'null') as unknown, schemaVersion: 2 }
          : { isDone: false, actions, schemaVersion: 2 },
      );
    },
  };
}

const request = (method: string, path: string, body = '') => ({
  method,
  url: new URL(`http://127.0.0.1:1${path}`),
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(body),
});

/** A durable service over a fresh memory store, on the manual clock, running `Once` and `Work`. */
function setup(): { store: MemoryStore; workedOn: unknown[]; durable: DurableServiceInternals } {
  const store = new MemoryStore();
  const workedOn: unknown[] = [];
  const durable = createDurableServiceWithStore(
    {
      functions: runtime(workedOn),
      hostJson: {},
      clock: createManualClock(0),
      log: () => undefined,
      rpcBaseUrl: () => 'http://127.0.0.1:1/durabletask/',
    },
    store,
  );
  return { store, workedOn, durable };
}

async function startAll(durable: DurableServiceInternals, id: string, inputs: string[]): Promise<number[]> {
  const answers = await Promise.all(
    inputs.map((input) =>
      durable.handleHttp(request('POST', `/durabletask/orchestrators/Once/${id}`, JSON.stringify(input))),
    ),
  );
  return answers.map((a) => a?.status ?? 0);
}

/** Lets the instance finish; the current execution ran once, with the input of the record that won, and left nothing. */
async function expectOneExecution(
  durable: DurableServiceInternals,
  store: MemoryStore,
  id: string,
  workedOn: unknown[],
  generation: number,
) {
  await durable.whenIdle();
  const go = await durable.handleHttp(request('POST', `/durabletask/instances/${id}/raiseEvent/Go`, 'null'));
  expect(go?.status).toBe(202);
  await durable.whenIdle();
  const record = await store.getInstance(id);
  expect(record).toMatchObject({ runtimeStatus: 'Completed', generation });
  const input = JSON.parse(record?.input ?? 'null') as unknown;
  expect(JSON.parse(record?.output ?? 'null')).toEqual({ worked: input });
  expect(workedOn.filter((w) => w === input)).toHaveLength(1);
  const history = await store.getHistory(id, record?.executionId ?? '');
  expect(history.filter((e) => e.EventType === EXECUTION_STARTED)).toHaveLength(1);
  expect(store.stats()).toMatchObject({ instances: 1, executions: 1, messages: 0, timers: 0 });
}

describe('durable engine: concurrent creates of one instance id', () => {
  it('accepts both of two concurrent creates of a new id and runs one execution, with the winning input', async () => {
    const { store, workedOn, durable } = setup();
    // Both read "no instance" before either writes its record: the provider answers both with success.
    expect(await startAll(durable, 'new-id', ['a', 'b'])).toEqual([202, 202]);
    await expectOneExecution(durable, store, 'new-id', workedOn, 0);
    expect(workedOn).toHaveLength(1);
    await durable.dispose();
  });

  it('accepts both of two concurrent restarts of a Completed id and runs one new execution', async () => {
    const { store, workedOn, durable } = setup();
    expect(await startAll(durable, 'done-id', ['first'])).toEqual([202]);
    await expectOneExecution(durable, store, 'done-id', workedOn, 0);

    // Both read the Completed record with the same ETag; the second replace loses (the provider's 412, ignored).
    expect(await startAll(durable, 'done-id', ['c', 'd'])).toEqual([202, 202]);
    await expectOneExecution(durable, store, 'done-id', workedOn, 1);
    expect(workedOn).toHaveLength(2);
    await durable.dispose();
  });

  it('refuses a create that reads an active instance with 409 and enqueues nothing for it', async () => {
    const { store, workedOn, durable } = setup();
    expect(await startAll(durable, 'busy', ['first'])).toEqual([202]);
    const res = await durable.handleHttp(request('POST', '/durabletask/orchestrators/Once/busy', '"second"'));
    expect(res?.status).toBe(409);
    expect(JSON.parse(String(res?.body))).toEqual({
      Message: expect.stringMatching(/^An Orchestration instance with the status (Pending|Running) already exists\.$/),
    });
    await expectOneExecution(durable, store, 'busy', workedOn, 0);
    expect(workedOn).toEqual(['first']);
    await durable.dispose();
  });
});
