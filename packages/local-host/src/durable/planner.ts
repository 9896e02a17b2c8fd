/**
 * The pure half of an episode: from an execution's bookkeeping, the episode's new history events and the
 * orchestrator's answer to the history to append, the side effects to request (activities, timers to arm or cancel,
 * sub-orchestrations, entity messages, synthetic events) and how the execution goes on (it waits, ends, or continues
 * as new). No I/O, no clock (the episode's time is passed in), no store: the engine reads, invokes and writes around it.
 */
import type { RegisteredFunction } from '../contracts';
import type { InstanceRecord, RuntimeStatus, StoredMessage } from '../store/types';
import type { AtomicAction, OrchestratorState } from './actions';
import { actionSignature } from './actions';
import type { EpisodeWork, ExecutionState } from './episode';
import { emptyWork, executionStartedEvent, freshExecutionState, jobBase, parentBase } from './episode';
import type { HistoryEvent } from './history';
import { EventType, OrchestrationStatusCode, historyEvent, iso } from './history';
import type { ControlMessage, EventMessage } from './messages';
import { isControlMessage, isEventMessage } from './messages';
import { unknownFunctionMessage } from './names';
import { exceptionDetails } from './payloads';
import { applyRetryEvents, newRetryTrack, retryMatches } from './retries';

/** Most events one episode takes from the mailbox. */
export const MAX_BATCH = 100;

/** The extension caps custom status at 16 KB of UTF-16 (whole KB, rounded down) and fails the orchestration above it. */
export const CUSTOM_STATUS_LIMIT_KB = 16;

/** Why a custom status (JSON text) is refused, in the extension's words (3.19.0, observed); undefined when allowed. */
export function customStatusProblem(customStatusJson: string | undefined): string | undefined {
  if (customStatusJson === undefined) return undefined;
  const kb = Math.floor((customStatusJson.length * 2) / 1024);
  return kb > CUSTOM_STATUS_LIMIT_KB
    ? `The UTF-16 size of the JSON-serialized payload must not exceed ${CUSTOM_STATUS_LIMIT_KB} KB. The current payload size is ${kb} KB.`
    : undefined;
}

/** The app's functions as the planner sees them: what an action may schedule. */
export interface FunctionCatalogue {
  /** Whether `name` is registered with the trigger type (`activityTrigger`, `orchestrationTrigger`). */
  is(name: string, triggerType: string): boolean;
  /** The functions registered with the trigger type (named in unknown-function messages). */
  ofType(triggerType: string): readonly RegisteredFunction[];
}

/** What the planner needs besides the episode: the app's functions and a source of entity request ids. */
export interface PlanContext {
  functions: FunctionCatalogue;
  newRequestId(): string;
}

/** What invoking the orchestrator gave: its state, a failure, or both (a failure that carried its state). */
export interface OrchestratorAnswer {
  state?: OrchestratorState;
  failure?: string;
}

/** What a mailbox holds for the next step of a running (not suspended) execution. */
export type MailboxWork =
  | { kind: 'control'; message: ControlMessage }
  /** `skipped`: messages an orchestration has no use for (not events), to delete. */
  | { kind: 'episode'; batch: EventMessage[]; skipped: number[] };

/**
 * The next unit of work in an execution's live messages: a control message at the head, else the batch of events up
 * to the next control message or {@link MAX_BATCH}. An event that advances a retry only opens a batch: retry
 * bookkeeping consumes sequence ids while the SDK processes it, so ids taken by user code resuming on earlier events
 * of the same batch cannot interleave.
 */
export function nextMailboxWork(live: readonly StoredMessage[], state: ExecutionState): MailboxWork {
  const first = live[0];
  if (first !== undefined && isControlMessage(first)) return { kind: 'control', message: first };
  const batch: EventMessage[] = [];
  const skipped: number[] = [];
  for (const message of live) {
    if (isControlMessage(message) || batch.length >= MAX_BATCH) break;
    if (!isEventMessage(message)) {
      skipped.push(message.seq);
      continue;
    }
    if (batch.length > 0 && state.retries.some((t) => !t.done && retryMatches(t, message.event))) break;
    batch.push(message);
  }
  return { kind: 'episode', batch, skipped };
}

/** An episode opened: its time, its new events and the bookkeeping with the episode counted. */
export interface OpenedEpisode {
  now: number;
  /** Whether this is the execution's first episode (the orchestrator is not replaying). */
  firstEpisode: boolean;
  /** The batch's events, unplayed. */
  batchEvents: HistoryEvent[];
  /** OrchestratorStarted, a new generation's ExecutionStarted (first episode only), then the batch's events. */
  newEvents: HistoryEvent[];
  state: ExecutionState;
}

/** Opens an episode over a batch of events taken from the mailbox. */
export function openEpisode(state: ExecutionState, batch: readonly HistoryEvent[], now: number): OpenedEpisode {
  const firstEpisode = state.episodes === 0;
  const batchEvents = batch.map((event) => ({ ...event, IsPlayed: false }));
  return {
    now,
    firstEpisode,
    batchEvents,
    newEvents: [historyEvent('OrchestratorStarted', now), ...(firstEpisode ? state.initialEvents : []), ...batchEvents],
    state: { ...state, episodes: state.episodes + 1, initialEvents: firstEpisode ? [] : state.initialEvents },
  };
}

/** What a parent orchestration hears when its sub-orchestration ends (or cannot start). */
export interface ParentNotice {
  how: 'completed' | 'failed';
  /** The result (JSON text) when completed, the reason when failed. */
  value: string;
  details: string;
}

/** How an execution ends: the status and output its record takes and what its parent hears. */
export interface ExecutionEnd {
  status: Extract<RuntimeStatus, 'Completed' | 'Failed'>;
  output: string;
  parent: ParentNotice;
}

/** How the execution goes on after the episode. */
export type EpisodeDecision =
  | { kind: 'continue' }
  | { kind: 'end'; end: ExecutionEnd }
  /** `input`: the next generation's input (JSON text). */
  | { kind: 'continueAsNew'; input: string | null };

/** An episode's outcome, for the engine to record and carry out. */
export interface EpisodePlan {
  decision: EpisodeDecision;
  /** The bookkeeping to store. */
  state: ExecutionState;
  /**
   * The history to append: the episode's new events, the events of new actions and retries, and the closing
   * events (ExecutionCompleted when the execution ends). Empty for continue-as-new: that execution is dropped.
   */
  history: HistoryEvent[];
  /** The custom status (JSON text) to record, when the orchestrator set one it may keep. */
  customStatus?: string;
  work: EpisodeWork;
  /** Sequence ids of timers the orchestrator canceled in this episode: to disarm and delete. */
  canceledTimers: number[];
}

/** Copies the parts of the bookkeeping planning changes, so the caller's state is left as it was. */
function copyState(state: ExecutionState): ExecutionState {
  return {
    ...state,
    applied: [...state.applied],
    appliedIds: [...state.appliedIds],
    retries: state.retries.map((track) => ({ ...track })),
    entityRequestIds: [...state.entityRequestIds],
  };
}

/**
 * Plans an opened episode from the orchestrator's answer: advances retries on the batch's events, matches the
 * cumulative actions against those already applied and turns the new tail into history and work, checks the custom
 * status, and decides how the execution goes on. A failure (the answer's, or non-determinism, an unknown function,
 * an unsupported action, an oversized custom status) ends the execution as Failed with what was planned before it.
 */
export function planEpisode(
  record: InstanceRecord,
  episode: OpenedEpisode,
  answer: OrchestratorAnswer,
  context: PlanContext,
): EpisodePlan {
  const { now } = episode;
  const state = copyState(episode.state);
  const work = emptyWork();
  const actionEvents: HistoryEvent[] = [];
  const canceledTimers: number[] = [];
  applyRetryEvents(state, episode.batchEvents, now, actionEvents, work, record);

  let failure = answer.failure;
  let customStatus: string | undefined;
  const orchestrator = answer.state;
  if (orchestrator !== undefined) {
    const problem =
      customStatusProblem(orchestrator.customStatus) ??
      applyActions(record, state, orchestrator.actions, now, { events: actionEvents, work, canceledTimers }, context);
    if (problem !== undefined) failure = `Orchestrator function '${record.name}' failed: ${problem}`;
    else customStatus = orchestrator.customStatus;
  }

  const plan = (decision: EpisodeDecision, history: HistoryEvent[]): EpisodePlan => ({
    decision,
    state,
    history,
    ...(customStatus === undefined ? {} : { customStatus }),
    work,
    canceledTimers,
  });
  const ending = (end: ExecutionEnd, statusCode: number, result: string): EpisodePlan =>
    plan({ kind: 'end', end }, [
      ...episode.newEvents,
      ...actionEvents,
      historyEvent(
        'ExecutionCompleted',
        now,
        { OrchestrationStatus: statusCode, Result: result, FailureDetails: null },
        state.nextId,
      ),
      historyEvent('OrchestratorCompleted', now),
    ]);

  if (failure !== undefined) {
    const end: ExecutionEnd = {
      status: 'Failed',
      output: JSON.stringify(failure),
      parent: { how: 'failed', value: failure, details: exceptionDetails(failure, undefined) },
    };
    return ending(end, OrchestrationStatusCode.Failed, failure);
  }
  if (orchestrator?.isDone === true && orchestrator.continueAsNew !== undefined) {
    return plan({ kind: 'continueAsNew', input: orchestrator.continueAsNew.input ?? null }, []);
  }
  if (orchestrator?.isDone === true) {
    const output = orchestrator.output ?? 'null';
    const end: ExecutionEnd = { status: 'Completed', output, parent: { how: 'completed', value: output, details: '' } };
    return ending(end, OrchestrationStatusCode.Completed, output);
  }
  return plan({ kind: 'continue' }, [
    ...episode.newEvents,
    ...actionEvents,
    historyEvent('OrchestratorCompleted', now),
  ]);
}

interface PlanOutput {
  events: HistoryEvent[];
  work: EpisodeWork;
  canceledTimers: number[];
}

/**
 * Matches the cumulative actions against those already applied and turns the new tail into history and work.
 * Returns a failure message (non-determinism, unknown function, unsupported action) or undefined.
 */
function applyActions(
  record: InstanceRecord,
  state: ExecutionState,
  actions: readonly AtomicAction[],
  now: number,
  out: PlanOutput,
  context: PlanContext,
): string | undefined {
  const { functions } = context;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i] as AtomicAction;
    const signature = actionSignature(action);
    if (i < state.applied.length) {
      const recorded = state.applied[i];
      const id = state.appliedIds[i];
      if (recorded !== signature) {
        return (
          `Non-deterministic workflow detected: A previous execution of this orchestration scheduled ${recorded}` +
          `${id === null || id === undefined ? '' : ` with sequence ID ${id}`}, but the current replay execution ` +
          `scheduled ${signature} in its place. Was a change made to the orchestrator code after this instance had ` +
          `already started running?`
        );
      }
      if (action.kind === 'timer' && action.isCanceled && typeof id === 'number') {
        out.work.timers = out.work.timers.filter((t) => t.timerId !== id);
        out.canceledTimers.push(id);
      }
      continue;
    }
    if (action.kind === 'waitForEvent') {
      state.applied.push(signature);
      state.appliedIds.push(null);
      continue;
    }
    if (action.kind === 'unsupported') {
      return `${action.description} is not supported by the local host.`;
    }
    if (action.kind === 'activity' && !functions.is(action.name, 'activityTrigger')) {
      return unknownFunctionMessage(action.name, 'activity', functions.ofType('activityTrigger'));
    }
    if (action.kind === 'subOrchestration' && !functions.is(action.name, 'orchestrationTrigger')) {
      return unknownFunctionMessage(action.name, 'orchestrator', functions.ofType('orchestrationTrigger'));
    }
    const id = state.nextId++;
    state.applied.push(signature);
    state.appliedIds.push(id);
    switch (action.kind) {
      case 'activity':
        out.events.push(
          historyEvent(
            'TaskScheduled',
            now,
            { Name: action.name, Version: '', Input: `[${action.input ?? 'null'}]` },
            id,
          ),
        );
        out.work.activities.push({ ...jobBase(record), id, name: action.name, input: action.input });
        if (action.retry !== undefined) state.retries.push(newRetryTrack('activity', action, action.retry, id, now));
        break;
      case 'subOrchestration': {
        const childId = action.instanceId ?? `${record.executionId}:${id}`;
        out.events.push(
          historyEvent(
            'SubOrchestrationInstanceCreated',
            now,
            { Name: action.name, Version: '', InstanceId: childId, Input: action.input ?? null },
            id,
          ),
        );
        out.work.children.push({
          parent: { ...parentBase(record), taskScheduledId: id },
          name: action.name,
          instanceId: childId,
          input: action.input,
        });
        if (action.retry !== undefined) {
          state.retries.push(newRetryTrack('subOrchestration', action, action.retry, id, now));
        }
        break;
      }
      case 'timer':
        out.events.push(historyEvent('TimerCreated', now, { FireAt: iso(action.fireAt) }, id));
        if (!action.isCanceled) out.work.timers.push({ ...jobBase(record), timerId: id, fireAt: action.fireAt });
        break;
      case 'callEntity':
      case 'signalEntity': {
        const requestId = context.newRequestId();
        const isSignal = action.kind === 'signalEntity';
        const request = {
          op: action.operation,
          signal: isSignal,
          input: action.input ?? null,
          id: requestId,
          parent: isSignal ? null : record.instanceId,
          parentExecution: isSignal ? null : record.executionId,
        };
        out.events.push(
          historyEvent(
            'EventSent',
            now,
            { InstanceId: action.schedulerId, Name: 'op', Input: JSON.stringify(request) },
            id,
          ),
        );
        if (!isSignal) state.entityRequestIds.push(requestId);
        out.work.entityMessages.push({
          schedulerId: action.schedulerId,
          message: {
            kind: 'entityOp',
            operation: action.operation,
            input: action.input ?? null,
            isSignal,
            requestId,
            parentInstanceId: isSignal ? null : record.instanceId,
            parentExecutionId: isSignal ? null : record.executionId,
          },
        });
        break;
      }
    }
  }
  return undefined;
}

/**
 * The search range for how many of an episode's batch events the orchestrator's replay had reached when it continued
 * as new: `history` is the episode's whole history (past events, then its new events, the batch last), and the answer
 * lies in `low..high` batch events, found by replaying `history.slice(0, fixed + n)`. An episode after the first was
 * not finished before its batch, so it reached at least one batch event; nor can an execution finish before its
 * ExecutionStarted, which opens the batch of a started instance's first episode.
 */
export function continueAsNewSearch(
  history: readonly HistoryEvent[],
  batchSize: number,
  firstEpisode: boolean,
): { fixed: number; low: number; high: number } {
  const fixed = history.length - batchSize;
  const started = history.findIndex((event) => event.EventType === EventType.ExecutionStarted);
  return { fixed, low: Math.max(firstEpisode ? 0 : Math.min(1, batchSize), started + 1 - fixed), high: batchSize };
}

/**
 * The record and bookkeeping of the generation that continues `record` as new: a fresh execution with its own
 * creation time (as on the Azure Storage provider, observed on extension 3.19.0) whose first episode delivers its
 * ExecutionStarted.
 */
export function nextGeneration(
  record: InstanceRecord,
  input: string | null,
  executionId: string,
  now: number,
): { record: InstanceRecord; state: ExecutionState } {
  const next: InstanceRecord = {
    ...record,
    executionId,
    input,
    output: null,
    runtimeStatus: 'Running',
    createdTime: now,
    lastUpdatedTime: now,
    generation: record.generation + 1,
  };
  return { record: next, state: freshExecutionState([executionStartedEvent(next, now)]) };
}

/** The event that tells a parent orchestration about its sub-orchestration (`taskScheduledId`). */
export function parentEvent(taskScheduledId: number, notice: ParentNotice, now: number): HistoryEvent {
  return notice.how === 'completed'
    ? historyEvent('SubOrchestrationInstanceCompleted', now, { TaskScheduledId: taskScheduledId, Result: notice.value })
    : historyEvent('SubOrchestrationInstanceFailed', now, {
        TaskScheduledId: taskScheduledId,
        Reason: notice.value,
        Details: notice.details,
      });
}
