/**
 * Retries of `callActivityWithRetry` / `callSubOrchestratorWithRetry` the way DTFx's RetryInterceptor drives them and
 * durable-functions' RetryableTask expects them: after a failed attempt k a timer (next sequence id) at
 * now + min(first·backoff^(k-1), maxInterval), then a new attempt (next sequence id); after the last failure an
 * immediate "back-compat" timer before the failure surfaces.
 */
import type { InstanceRecord } from '../store/types';
import type { RetryOptions } from './actions';
import type { EpisodeWork, ExecutionState, RetryTrack } from './episode';
import { jobBase, parentBase } from './episode';
import type { HistoryEvent } from './history';
import { EventType, historyEvent, iso } from './history';

export function newRetryTrack(
  kind: RetryTrack['kind'],
  action: { name: string; input: string | undefined; instanceId?: string | undefined },
  options: RetryOptions,
  id: number,
  now: number,
): RetryTrack {
  return {
    kind,
    name: action.name,
    input: action.input,
    instanceId: action.instanceId,
    options,
    attempt: 1,
    firstAttemptAt: now,
    currentId: id,
    timedOut: false,
    lastReason: '',
    lastDetails: '',
    done: false,
  };
}

export function retryMatches(track: RetryTrack, event: HistoryEvent): boolean {
  switch (event.EventType) {
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceFailed:
    case EventType.TaskCompleted:
    case EventType.SubOrchestrationInstanceCompleted:
      return track.timerId === undefined && event.TaskScheduledId === track.currentId;
    case EventType.TimerFired:
      return track.timerId !== undefined && event.TimerId === track.timerId;
    default:
      return false;
  }
}

/** Retry bookkeeping for the new events of this episode (DTFx RetryInterceptor as the SDK expects it). */
export function applyRetryEvents(
  state: ExecutionState,
  events: readonly HistoryEvent[],
  now: number,
  out: HistoryEvent[],
  work: EpisodeWork,
  record: InstanceRecord,
): void {
  for (const event of events) {
    const track = state.retries.find((t) => !t.done && retryMatches(t, event));
    if (track === undefined) continue;
    if (
      event.EventType === EventType.TaskCompleted ||
      event.EventType === EventType.SubOrchestrationInstanceCompleted
    ) {
      track.done = true;
      continue;
    }
    if (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed) {
      track.lastReason = typeof event.Reason === 'string' ? event.Reason : '';
      track.lastDetails = typeof event.Details === 'string' ? event.Details : '';
      const failedAttempt = track.attempt;
      track.attempt++;
      const o = track.options;
      if (now - track.firstAttemptAt >= o.retryTimeoutInMilliseconds) track.timedOut = true;
      let fireAt = now;
      if (failedAttempt < o.maxNumberOfAttempts && !track.timedOut) {
        const delay = Math.min(
          o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient, failedAttempt - 1),
          o.maxRetryIntervalInMilliseconds,
        );
        fireAt = now + Math.max(0, delay);
      }
      const timerId = state.nextId++;
      track.timerId = timerId;
      out.push(historyEvent('TimerCreated', now, { FireAt: iso(fireAt) }, timerId));
      work.timers.push({ instanceId: record.instanceId, executionId: record.executionId, timerId, fireAt });
      continue;
    }
    // The retry timer fired.
    delete track.timerId;
    if (track.attempt > track.options.maxNumberOfAttempts) {
      track.done = true;
      continue;
    }
    const id = state.nextId++;
    track.currentId = id;
    if (track.kind === 'activity') {
      out.push(
        historyEvent('TaskScheduled', now, { Name: track.name, Version: '', Input: `[${track.input ?? 'null'}]` }, id),
      );
      if (track.timedOut) {
        work.immediateEvents.push({
          ...jobBase(record),
          event: historyEvent('TaskFailed', now, {
            TaskScheduledId: id,
            Reason: track.lastReason,
            Details: track.lastDetails,
          }),
        });
      } else {
        work.activities.push({ ...jobBase(record), id, name: track.name, input: track.input });
      }
    } else {
      const childId = track.instanceId ?? `${record.executionId}:${id}`;
      out.push(
        historyEvent(
          'SubOrchestrationInstanceCreated',
          now,
          { Name: track.name, Version: '', InstanceId: childId, Input: track.input ?? null },
          id,
        ),
      );
      if (track.timedOut) {
        work.immediateEvents.push({
          ...jobBase(record),
          event: historyEvent('SubOrchestrationInstanceFailed', now, {
            TaskScheduledId: id,
            Reason: track.lastReason,
            Details: track.lastDetails,
          }),
        });
      } else {
        work.children.push({
          parent: { ...parentBase(record), taskScheduledId: id },
          name: track.name,
          instanceId: childId,
          input: track.input,
        });
      }
    }
  }
}
