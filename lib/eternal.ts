/**
 * Shared pieces of the eternal orchestrators: the `stop` event every one of them honours, the retry policy for their
 * activities, the wait between iterations (durable timer raced against `stop`), and the generation they all run
 * ({@link runGeneration}): state from the input, the work, the state recorded, then wait, stop or continue as new.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { singletonInput } from './startToken';

/** The cooperative-cancellation event raised by `DELETE /api/orchestrators/{functionName}/{instanceId}`. */
export const STOP_EVENT = 'stop';

/** 3 attempts, 5 s then 10 s apart: rides out a blip without delaying the next iteration much. */
export function activityRetryOptions(): df.RetryOptions {
  const options = new df.RetryOptions(5_000, 3);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 60_000;
  return options;
}

/**
 * Waits `intervalSeconds` of orchestration time, or less if `stop` arrives (also a `stop` raised earlier, while the
 * iteration's work ran). On `stop` the timer is cancelled so nothing is left pending.
 */
export function* waitForNextIteration(
  context: OrchestrationContext,
  intervalSeconds: number,
): Generator<Task, 'next' | 'stop', unknown> {
  const fireAt = new Date(context.df.currentUtcDateTime.getTime() + intervalSeconds * 1000);
  const timer = context.df.createTimer(fireAt);
  const stop = context.df.waitForExternalEvent(STOP_EVENT);
  const winner = yield context.df.Task.any([timer, stop]);
  if (winner === stop) {
    timer.cancel();
    return 'stop';
  }
  return 'next';
}

/**
 * How a generation's work ended, with the state it leaves: `stop` arrived (complete now), `continueAsNew` (more work,
 * at once), or `wait` `intervalSeconds` (raced against `stop`) before the next generation.
 */
export type GenerationEnd<S> =
  { then: 'stop' | 'continueAsNew'; state: S } | { then: 'wait'; state: S; intervalSeconds: number };

/** An eternal orchestrator's generation: its state, how custom status shows it, and its work. */
export interface Generation<S extends object, W extends S = S> {
  /** The generation's starting state (`W`, which may hold more than the state carried) from its input. */
  begin(input: unknown): W;
  /** Custom status for a state: set at the start and again after the work. */
  status(state: S): unknown;
  /** The generation's work; it races its own waits against `stop` wherever a stop must not wait for it. */
  run(state: W): Generator<Task, GenerationEnd<S>, unknown>;
}

/** The output of an eternal orchestrator that honoured `stop`: its last state and when it stopped. */
export type StoppedState<S extends object> = S & { stoppedAt: string };

/**
 * Runs one generation: the input without the start token → `begin` → custom status → `run` → custom status; then, as
 * the work ended, completes with the final state (`stoppedAt` in orchestration time) or continues as new with the
 * state and the start token, after waiting the interval where it asked to.
 */
export function* runGeneration<S extends object, W extends S = S>(
  context: OrchestrationContext,
  generation: Generation<S, W>,
): Generator<Task, StoppedState<S> | undefined, unknown> {
  const { input, carry } = singletonInput(context);
  const start = generation.begin(input);
  context.df.setCustomStatus(generation.status(start));

  const end = yield* generation.run(start);
  context.df.setCustomStatus(generation.status(end.state));
  if (
    end.then === 'stop' ||
    (end.then === 'wait' && (yield* waitForNextIteration(context, end.intervalSeconds)) === 'stop')
  ) {
    return { ...end.state, stoppedAt: context.df.currentUtcDateTime.toISOString() };
  }
  context.df.continueAsNew(carry(end.state));
  return undefined;
}
