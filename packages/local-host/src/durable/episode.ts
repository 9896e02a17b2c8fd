/**
 * One execution's bookkeeping (kept in the store next to its history) and the work an episode hands out.
 */
import type { InstanceRecord, ParentRef, PendingMessage, RuntimeStatus, TimerRecord } from '../store/types';
import type { RetryOptions } from './actions';
import type { HistoryEvent } from './history';
import { historyEvent } from './history';
import type { EntityOpFields } from './messages';

export interface RetryTrack {
  kind: 'activity' | 'subOrchestration';
  name: string;
  input: string | undefined;
  instanceId: string | undefined;
  options: RetryOptions;
  /** Mirrors durable-functions' `attemptNumber`: 1 for the first attempt, incremented on each failure. */
  attempt: number;
  firstAttemptAt: number;
  /** Sequence id of the attempt in flight. */
  currentId: number;
  /** Sequence id of the retry timer being waited on. */
  timerId?: number;
  timedOut: boolean;
  lastReason: string;
  lastDetails: string;
  done: boolean;
}

/** The engine's bookkeeping for one execution, kept in the store next to its history. */
export interface ExecutionState {
  nextId: number;
  /** Signature of every atomic action applied so far, by position in the flattened cumulative list. */
  applied: string[];
  /** Sequence id per applied action (null for waits). */
  appliedIds: (number | null)[];
  retries: RetryTrack[];
  /** Request ids of entity calls: their replies are consumed by the call, never carried over by continue-as-new. */
  entityRequestIds: string[];
  /** Delivered with the first episode: a new generation's ExecutionStarted. */
  initialEvents: HistoryEvent[];
  episodes: number;
  /** Status to return to on resume. */
  suspendedFrom?: RuntimeStatus;
}

export interface ActivityJob {
  instanceId: string;
  executionId: string;
  id: number;
  name: string;
  input: string | undefined;
}

export interface ChildJob {
  parent: ParentRef;
  name: string;
  instanceId: string;
  input: string | undefined;
}

export interface EntityJob {
  schedulerId: string;
  message: PendingMessage & EntityOpFields;
}

export interface EpisodeWork {
  activities: ActivityJob[];
  timers: TimerRecord[];
  children: ChildJob[];
  entityMessages: EntityJob[];
  /** Synthetic failures of retries past their retry timeout. */
  immediateEvents: { instanceId: string; executionId: string; event: HistoryEvent }[];
}

export function emptyWork(): EpisodeWork {
  return { activities: [], timers: [], children: [], entityMessages: [], immediateEvents: [] };
}

export function jobBase(record: InstanceRecord): { instanceId: string; executionId: string } {
  return { instanceId: record.instanceId, executionId: record.executionId };
}

export function parentBase(record: InstanceRecord): Omit<ParentRef, 'taskScheduledId'> {
  return { instanceId: record.instanceId, executionId: record.executionId, name: record.name };
}

/** The ExecutionStarted event of the record's execution, as the start message carries it. */
export function executionStartedEvent(record: InstanceRecord, now: number): HistoryEvent {
  return historyEvent('ExecutionStarted', now, {
    OrchestrationInstance: { InstanceId: record.instanceId, ExecutionId: record.executionId },
    ParentInstance:
      record.parent === null
        ? null
        : {
            Name: record.parent.name,
            Version: '',
            OrchestrationInstance: { InstanceId: record.parent.instanceId, ExecutionId: record.parent.executionId },
            TaskScheduleId: record.parent.taskScheduledId,
          },
    Name: record.name,
    Version: '',
    Input: record.input,
    Tags: null,
    Correlation: null,
    ScheduledStartTime: null,
    Generation: record.generation,
  });
}

/**
 * The bookkeeping of an execution that has not run yet. `initialEvents` go into its first episode: a continue-as-new
 * generation's ExecutionStarted; a started instance's ExecutionStarted comes as a message.
 */
export function freshExecutionState(initialEvents: HistoryEvent[] = []): ExecutionState {
  return {
    nextId: 0,
    applied: [],
    appliedIds: [],
    retries: [],
    entityRequestIds: [],
    initialEvents,
    episodes: 0,
  };
}
