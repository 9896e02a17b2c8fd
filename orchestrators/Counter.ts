/**
 * Counter: an actor-style eternal singleton. Each generation waits for one of its events (`incr`, `decr`, `set`,
 * `reset`, `stop`), applies it and continues as new with the next state, so history never grows. `stop` completes
 * the instance with its final state.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { OrchestratorName } from '../lib/catalog';
import { STOP_EVENT, runGeneration } from '../lib/eternal';
import type { GenerationEnd } from '../lib/eternal';
import { COUNTER_EVENTS, COUNTER_NAME, applyCounterEvent, counterStatus, toCounterState } from '../lib/counterModel';
import type { CounterEventName, CounterFinalState, CounterState } from '../lib/counterModel';

export const Counter: OrchestratorName = COUNTER_NAME;

export function* counterOrchestrator(
  context: OrchestrationContext,
): Generator<Task, CounterFinalState | undefined, unknown> {
  return yield* runGeneration(context, {
    begin: toCounterState,
    status: counterStatus,
    *run(state): Generator<Task, GenerationEnd<CounterState>, unknown> {
      const waits = COUNTER_EVENTS.map((name) => ({ name, task: context.df.waitForExternalEvent(name) }));
      yield context.df.Task.any(waits.map((wait) => wait.task));

      // Task.any hands back a single task. durable-functions 3.5.0 resumes the generator after each event, so
      // normally one wait is completed here; should several be (events the SDK matched before resuming), all are
      // applied rather than dropped at continueAsNew. COUNTER_EVENTS fixes the order, `stop` last so the events that
      // came with it count.
      const received: Array<{ name: CounterEventName; payload: unknown }> = waits
        .filter((wait) => wait.task.isCompleted)
        .map((wait) => ({ name: wait.name, payload: wait.task.result }));
      const next = received.reduce((acc, event) => applyCounterEvent(acc, event.name, event.payload), state);
      return { then: received.some((event) => event.name === STOP_EVENT) ? 'stop' : 'continueAsNew', state: next };
    },
  });
}

df.app.orchestration(Counter, counterOrchestrator);
