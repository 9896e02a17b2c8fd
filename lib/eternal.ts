/**
 * Shared pieces of the eternal orchestrators: the `stop` event every one of them honours, the retry policy for their
 * activities, and the wait between iterations (durable timer raced against `stop`).
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';

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
