/**
 * The durable engine: event-sourced orchestration instances driven episode by episode, the way the Durable Task
 * Framework and the Durable extension drive out-of-process (JavaScript) orchestrators.
 *
 * Each instance has a mailbox (pending messages in the store) and is processed by one drain loop at a time; many
 * instances run in parallel up to host.json's limits. An episode appends `OrchestratorStarted` + new messages, invokes
 * the orchestrator with the whole history, walks the returned cumulative actions assigning sequence ids, turns the new
 * ones into history and side effects (activities, timers, sub-orchestrations, entity messages) and records the outcome.
 */
import type {
  Clock,
  FunctionRuntime,
  HostJson,
  LogFn,
  RegisteredFunction,
  RpcParameterBinding,
  RpcTypedData,
} from '../contracts';
import { durableClientBindingNames } from '../bindingSupport';
import { isTerminal } from '../store/types';
import type {
  DurableStore,
  EntityRecord,
  InstancePage,
  InstanceQuery,
  InstanceRecord,
  ParentRef,
  PendingMessage,
  RuntimeStatus,
  StoredMessage,
  TimerRecord,
} from '../store/types';
import type { AtomicAction, OrchestratorState } from './actions';
import { actionSignature, parseOrchestratorState } from './actions';
import { EntityRunner } from './entities';
import type { ActivityJob, ChildJob, EpisodeWork, ExecutionState } from './episode';
import { emptyWork, executionStartedEvent, freshExecutionState, jobBase, parentBase } from './episode';
import type { HistoryEvent } from './history';
import { EventType, OrchestrationStatusCode, historyEvent, isHistoryEvent, iso, newGuidN } from './history';
import type { ControlFields, ControlMessage, EntityOpFields } from './messages';
import { isControlMessage, isEventMessage, isStartMessage, startedExecutionId } from './messages';
import { describe, toJsonText, unknownFunctionMessage } from './names';
import {
  activityInputData,
  exceptionDetails,
  exceptionText,
  orchestrationTriggerPayload,
  outOfProcState,
  parseReturnedJson,
  returnValueJson,
} from './payloads';
import { applyRetryEvents, newRetryTrack, retryMatches } from './retries';
import { IdleTracker, Semaphore } from './work';

export const NON_RUNNING_DEDUPE: readonly RuntimeStatus[] = ['Running', 'ContinuedAsNew', 'Pending', 'Suspended'];

export interface StartResult {
  /** False when the dedupe check refused the start; true also when the record write was lost to a concurrent start. */
  created: boolean;
  /** The existing record when refused, else the record this start wrote (or tried to write). */
  record: InstanceRecord;
}

export interface EngineOptions {
  store: DurableStore;
  functions: FunctionRuntime;
  clock: Clock;
  log: LogFn;
  hostJson: HostJson;
  /** JSON text of the `durableClient` binding for functions the engine invokes (activities may use the client). */
  clientBindingJson: () => string;
}

const MAX_BATCH = 100;

/** One round trip to storage: lets other work run between the calls of a start, as it does against Azure Storage. */
const storageRoundTrip = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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

/** What becomes of a start message: kept, left waiting in the queue, or discarded. */
function startVerdict(
  executionId: string | undefined,
  record: InstanceRecord | undefined,
  writing: ReadonlySet<string>,
): 'keep' | 'wait' | 'discard' {
  if (executionId !== undefined && executionId === record?.executionId) return 'keep';
  return executionId !== undefined && writing.has(executionId) ? 'wait' : 'discard';
}

export class DurableEngine {
  private readonly store: DurableStore;
  private readonly functions: FunctionRuntime;
  private readonly clock: Clock;
  private readonly log: LogFn;
  private readonly clientBindingJson: () => string;
  private readonly dedupe: readonly RuntimeStatus[];
  private readonly orchestrations: Semaphore;
  private readonly activities: Semaphore;
  private readonly entities: Semaphore;
  readonly tracker = new IdleTracker();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly armed = new Map<string, () => void>();
  /** Executions whose start message is enqueued and whose start is still writing the instance record. */
  private readonly startsWriting = new Set<string>();
  private disposed = false;
  /**
   * When the engine last gave the event loop a turn. Shared by every drain loop: a busy eternal loop moves through
   * many short drain loops started from inside its own chain (activity result, timer, next execution), so a slice
   * per drain loop would never run out.
   */
  private sliceStart = performance.now();
  private readonly entityRunner: EntityRunner;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.functions = options.functions;
    this.clock = options.clock;
    this.log = options.log;
    this.clientBindingJson = options.clientBindingJson;
    const durable = options.hostJson.extensions?.durableTask;
    this.dedupe = durable?.overridableExistingInstanceStates === 'AnyState' ? [] : NON_RUNNING_DEDUPE;
    this.orchestrations = new Semaphore(durable?.maxConcurrentOrchestratorFunctions ?? 10);
    this.activities = new Semaphore(durable?.maxConcurrentActivityFunctions ?? 10);
    this.entities = new Semaphore(durable?.maxConcurrentEntityFunctions ?? 10);
    this.entityRunner = new EntityRunner({
      store: this.store,
      functions: this.functions,
      clock: this.clock,
      enqueue: (instanceId, message) => this.enqueue(instanceId, message),
      inputData: (fn, trigger) => this.inputData(fn, trigger),
      functionsOfType: (type) => this.functionsOfType(type),
    });
  }

  // ----- public operations (used by the management API) -------------------------------------------------------

  /** Registered orchestrator functions — start requests are validated against these. */
  orchestratorFunctions(): RegisteredFunction[] {
    return this.functionsOfType('orchestrationTrigger');
  }

  now(): number {
    return this.clock.now();
  }

  async queryInstances(query: InstanceQuery, page: { top: number; continuationToken?: string }): Promise<InstancePage> {
    return this.store.queryInstances(query, page);
  }

  async listEntities(): Promise<readonly EntityRecord[]> {
    return this.store.listEntities();
  }

  isOrchestrator(name: string): boolean {
    return this.functions.get(name)?.trigger.type === 'orchestrationTrigger';
  }

  /**
   * Starts an instance as the Azure Storage provider's CreateTaskOrchestrationAsync does: reads the instance, refuses
   * (created: false) while its status is one of the dedupe statuses (host.json `overridableExistingInstanceStates`),
   * else enqueues the start message (ExecutionStarted of a fresh execution) and writes the record conditionally,
   * ignoring a lost write. So concurrent starts of one ID can all succeed; only the execution whose record write won
   * runs, the others' start messages are discarded when processed ({@link DurableEngine.readMailbox}).
   */
  async startOrchestration(
    name: string,
    instanceId: string,
    inputJson: string | null,
    parent: ParentRef | null = null,
    dedupe: readonly RuntimeStatus[] = this.dedupe,
  ): Promise<StartResult> {
    const existing = await this.store.readInstance(instanceId);
    await storageRoundTrip();
    if (existing !== undefined && dedupe.includes(existing.record.runtimeStatus)) {
      return { created: false, record: existing.record };
    }
    const now = this.clock.now();
    const record: InstanceRecord = {
      instanceId,
      name,
      executionId: newGuidN(),
      runtimeStatus: 'Pending',
      input: inputJson,
      output: null,
      customStatus: null,
      createdTime: now,
      lastUpdatedTime: now,
      parent,
      generation: existing === undefined ? 0 : existing.record.generation + 1,
    };
    this.startsWriting.add(record.executionId);
    try {
      await this.enqueue(instanceId, { kind: 'event', event: executionStartedEvent(record, now) });
      await storageRoundTrip();
      const written = await this.store.setNewExecution(record, existing?.etag);
      if (written && existing !== undefined) this.disarmInstance(instanceId);
    } finally {
      this.startsWriting.delete(record.executionId);
    }
    this.kick(instanceId);
    return { created: true, record };
  }

  async getInstance(instanceId: string): Promise<InstanceRecord | undefined> {
    return this.store.getInstance(instanceId);
  }

  async getHistory(record: InstanceRecord): Promise<readonly HistoryEvent[]> {
    const events = await this.store.getHistory(record.instanceId, record.executionId);
    return events.filter(isHistoryEvent);
  }

  async raiseEvent(instanceId: string, eventName: string, inputJson: string): Promise<void> {
    await this.enqueue(instanceId, {
      kind: 'event',
      event: historyEvent('EventRaised', this.clock.now(), { Name: eventName, Input: inputJson }),
    });
  }

  async control(instanceId: string, kind: ControlFields['kind'], reason: string | null): Promise<void> {
    await this.enqueue(instanceId, { kind, reason });
  }

  async purge(instanceId: string): Promise<boolean> {
    this.disarmInstance(instanceId);
    return this.store.purgeInstance(instanceId);
  }

  async signalEntity(schedulerId: string, operation: string, inputJson: string | null): Promise<void> {
    const message: PendingMessage & EntityOpFields = {
      kind: 'entityOp',
      operation,
      input: inputJson,
      isSignal: true,
      requestId: crypto.randomUUID(),
      parentInstanceId: null,
      parentExecutionId: null,
    };
    await this.enqueue(schedulerId, message);
  }

  async readEntity(schedulerId: string): Promise<EntityRecord | undefined> {
    return this.store.getEntity(schedulerId);
  }

  whenIdle(): Promise<void> {
    return this.tracker.whenIdle();
  }

  /** Re-arms stored timers and resumes instances with pending messages (a persistent store after a restart). */
  async recover(): Promise<void> {
    for (const timer of await this.store.listTimers()) this.arm(timer);
    for (const instanceId of await this.store.instancesWithMessages()) this.kick(instanceId);
  }

  dispose(): void {
    this.disposed = true;
    for (const cancel of this.armed.values()) cancel();
    this.armed.clear();
  }

  // ----- mailbox ------------------------------------------------------------------------------------------------

  private async enqueue(instanceId: string, message: PendingMessage): Promise<void> {
    await this.store.enqueueMessage(instanceId, message);
    this.kick(instanceId);
  }

  private kick(instanceId: string): void {
    if (this.disposed) return;
    if (this.active.has(instanceId)) {
      this.dirty.add(instanceId);
      return;
    }
    this.active.add(instanceId);
    const gate = instanceId.startsWith('@') ? this.entities : this.orchestrations;
    this.tracker.track(
      async () => {
        try {
          await gate.run(async () => {
            do {
              this.dirty.delete(instanceId);
              while (!this.disposed && (await this.step(instanceId))) {
                // The memory store resolves at once, so a busy eternal loop would otherwise run as one chain of
                // microtasks and starve HTTP, timers and other instances: give the event loop a turn every 5 ms.
                if (performance.now() - this.sliceStart > 5) {
                  await new Promise<void>((resolve) => setImmediate(resolve));
                  this.sliceStart = performance.now();
                }
              }
            } while (this.dirty.has(instanceId) && !this.disposed);
          });
        } finally {
          this.active.delete(instanceId);
          // A message may have arrived after the loop's last look but before this point: go round again.
          if (this.dirty.delete(instanceId)) this.kick(instanceId);
        }
      },
      (err) => this.log('error', `Durable engine error while processing '${instanceId}': ${describe(err)}`),
    );
  }

  /** Processes one unit of work for the instance; returns whether anything happened. */
  private async step(instanceId: string): Promise<boolean> {
    if (instanceId.startsWith('@')) return this.entityRunner.step(instanceId);
    const { record, messages } = await this.readMailbox(instanceId);
    if (record === undefined || isTerminal(record.runtimeStatus)) {
      if (messages.length > 0)
        await this.store.deleteMessages(
          instanceId,
          messages.map((m) => m.seq),
        );
      return false;
    }
    const stale = messages.filter((m) => m.executionId !== undefined && m.executionId !== record.executionId);
    if (stale.length > 0)
      await this.store.deleteMessages(
        instanceId,
        stale.map((m) => m.seq),
      );
    const live = messages.filter((m) => m.executionId === undefined || m.executionId === record.executionId);
    // A started execution has no state until its start message is processed: that message opens its first episode.
    const raw = await this.store.getExecutionState(record.instanceId, record.executionId);
    const state =
      (raw as ExecutionState | undefined) ?? (live.some(isStartMessage) ? freshExecutionState() : undefined);
    if (state === undefined) return false;

    if (record.runtimeStatus === 'Suspended') {
      const control = live.find(isControlMessage);
      if (control === undefined) return false;
      await this.applyControl(record, state, control);
      return true;
    }
    const first = live[0];
    if (first !== undefined && isControlMessage(first)) {
      await this.applyControl(record, state, first);
      return true;
    }
    const batch: StoredMessage[] = [];
    for (const message of live) {
      if (isControlMessage(message) || batch.length >= MAX_BATCH) break;
      if (!isEventMessage(message)) {
        await this.store.deleteMessages(instanceId, [message.seq]);
        continue;
      }
      // Retry bookkeeping consumes sequence ids while the SDK processes the event; such an event must open the batch
      // so ids taken by user code resuming on earlier events of the same batch cannot interleave.
      if (batch.length > 0 && this.isRetryEvent(state, message.event)) break;
      batch.push(message);
    }
    if (batch.length === 0 && state.episodes > 0) return false;
    await this.runEpisode(record, state, batch);
    return true;
  }

  /**
   * The instance's record and messages, start messages deduplicated as DTFx's DedupeExecutionStartedMessagesAsync
   * does: one is kept only if the record names its execution. One whose start is still writing the record waits (it
   * stays in the queue but is not returned); any other lost its record write and is discarded.
   */
  private async readMailbox(
    instanceId: string,
  ): Promise<{ record: InstanceRecord | undefined; messages: StoredMessage[] }> {
    const all = await this.store.listMessages(instanceId);
    // Taken before the record is read: a start that has finished writing by now shows in the record read below.
    const writing = new Set(this.startsWriting);
    const record = await this.store.getInstance(instanceId);
    const messages: StoredMessage[] = [];
    const discarded: number[] = [];
    for (const message of all) {
      const verdict = isStartMessage(message) ? startVerdict(startedExecutionId(message), record, writing) : 'keep';
      if (verdict === 'keep') messages.push(message);
      else if (verdict === 'discard') discarded.push(message.seq);
    }
    if (discarded.length > 0) await this.store.deleteMessages(instanceId, discarded);
    return { record, messages };
  }

  private isRetryEvent(state: ExecutionState, event: HistoryEvent): boolean {
    return state.retries.some((t) => !t.done && retryMatches(t, event));
  }

  // ----- control operations -------------------------------------------------------------------------------------

  private async applyControl(record: InstanceRecord, state: ExecutionState, message: ControlMessage): Promise<void> {
    const now = this.clock.now();
    await this.store.deleteMessages(record.instanceId, [message.seq]);
    if (message.kind === 'terminate') {
      const reason = message.reason;
      await this.store.appendHistory(record.instanceId, record.executionId, [
        historyEvent('OrchestratorStarted', now),
        historyEvent('ExecutionTerminated', now, { Input: reason }),
        historyEvent(
          'ExecutionCompleted',
          now,
          { OrchestrationStatus: OrchestrationStatusCode.Terminated, Result: reason, FailureDetails: null },
          state.nextId,
        ),
        historyEvent('OrchestratorCompleted', now),
      ]);
      const updated: InstanceRecord = {
        ...record,
        runtimeStatus: 'Terminated',
        output: toJsonText(reason),
        lastUpdatedTime: now,
      };
      if (await this.store.updateInstance(updated, record.executionId)) {
        this.disarmExecution(record.instanceId, record.executionId);
        await this.notifyParent(updated, 'failed', reason ?? '', exceptionDetails(reason ?? '', undefined));
      }
      return;
    }
    if (message.kind === 'suspend') {
      if (record.runtimeStatus !== 'Running' && record.runtimeStatus !== 'Pending') return;
      state.suspendedFrom = record.runtimeStatus;
      await this.store.putExecutionState(record.instanceId, record.executionId, state);
      if (state.episodes > 0) {
        await this.store.appendHistory(record.instanceId, record.executionId, [
          historyEvent('ExecutionSuspended', now, { Reason: message.reason }),
        ]);
      }
      // The extension keeps the suspend reason as the instance's output while it is suspended (observed, 3.19.0).
      await this.store.updateInstance(
        { ...record, runtimeStatus: 'Suspended', output: toJsonText(message.reason), lastUpdatedTime: now },
        record.executionId,
      );
      return;
    }
    if (record.runtimeStatus !== 'Suspended') return;
    const resumeTo = state.suspendedFrom ?? 'Running';
    delete state.suspendedFrom;
    await this.store.putExecutionState(record.instanceId, record.executionId, state);
    if (state.episodes > 0) {
      await this.store.appendHistory(record.instanceId, record.executionId, [
        historyEvent('ExecutionResumed', now, { Reason: message.reason }),
      ]);
    }
    await this.store.updateInstance(
      { ...record, runtimeStatus: resumeTo, output: null, lastUpdatedTime: now },
      record.executionId,
    );
  }

  // ----- episodes -----------------------------------------------------------------------------------------------

  private async runEpisode(record: InstanceRecord, state: ExecutionState, batch: StoredMessage[]): Promise<void> {
    const now = this.clock.now();
    const { instanceId, executionId } = record;
    const batchEvents = batch.filter(isEventMessage).map((m) => ({ ...m.event, IsPlayed: false }));
    const newEvents: HistoryEvent[] = [historyEvent('OrchestratorStarted', now)];
    if (state.episodes === 0) newEvents.push(...state.initialEvents);
    newEvents.push(...batchEvents);
    const firstEpisode = state.episodes === 0;
    state.episodes++;
    if (firstEpisode) state.initialEvents = [];

    let current: InstanceRecord = record;
    if (record.runtimeStatus === 'Pending') {
      current = { ...record, runtimeStatus: 'Running', lastUpdatedTime: now };
      if (!(await this.store.updateInstance(current, executionId))) return;
    }

    const past = (await this.store.getHistory(instanceId, executionId))
      .filter(isHistoryEvent)
      .map((e) => ({ ...e, IsPlayed: true }));
    const work: EpisodeWork = emptyWork();
    const actionEvents: HistoryEvent[] = [];
    applyRetryEvents(state, batchEvents, now, actionEvents, work, record);

    const outcome = await this.invokeOrchestrator(record, [...past, ...newEvents], firstEpisode);
    let failure = outcome.failure;
    const orchestratorState = outcome.state;
    if (orchestratorState !== undefined) {
      const problem =
        customStatusProblem(orchestratorState.customStatus) ??
        this.applyActions(record, state, orchestratorState.actions, now, actionEvents, work);
      if (problem !== undefined) failure = `Orchestrator function '${record.name}' failed: ${problem}`;
      else if (orchestratorState.customStatus !== undefined)
        current = { ...current, customStatus: orchestratorState.customStatus };
    }

    const consumed = batch.map((m) => m.seq);
    if (failure !== undefined) {
      await this.finish(current, state, [...newEvents, ...actionEvents], consumed, now, {
        status: 'Failed',
        output: JSON.stringify(failure),
        parentReason: failure,
        statusCode: OrchestrationStatusCode.Failed,
        result: failure,
      });
      await this.dispatchFireAndForget(work);
      return;
    }
    if (orchestratorState?.isDone === true && orchestratorState.continueAsNew !== undefined) {
      const reached = await this.continueAsNewReach(record, [...past, ...newEvents], batch.length, firstEpisode);
      await this.continueAsNew(current, orchestratorState, consumed.slice(0, reached), now);
      await this.dispatchFireAndForget(work);
      return;
    }
    if (orchestratorState?.isDone === true) {
      const output = orchestratorState.output ?? 'null';
      await this.finish(current, state, [...newEvents, ...actionEvents], consumed, now, {
        status: 'Completed',
        output,
        statusCode: OrchestrationStatusCode.Completed,
        result: output,
      });
      await this.dispatchFireAndForget(work);
      return;
    }
    await this.store.appendHistory(instanceId, executionId, [
      ...newEvents,
      ...actionEvents,
      historyEvent('OrchestratorCompleted', now),
    ]);
    await this.store.putExecutionState(instanceId, executionId, state);
    if (!(await this.store.updateInstance({ ...current, lastUpdatedTime: now }, executionId))) return;
    await this.store.deleteMessages(instanceId, consumed);
    await this.dispatch(work);
  }

  private async invokeOrchestrator(
    record: InstanceRecord,
    history: HistoryEvent[],
    firstEpisode: boolean,
  ): Promise<{ state?: OrchestratorState; failure?: string }> {
    const fn = this.functions.get(record.name);
    const prefix = `Orchestrator function '${record.name}' failed: `;
    if (fn === undefined || fn.trigger.type !== 'orchestrationTrigger') {
      return {
        failure: `${prefix}${unknownFunctionMessage(record.name, 'orchestrator', this.functionsOfType('orchestrationTrigger'))}`,
      };
    }
    const payload = orchestrationTriggerPayload({
      history,
      inputJson: record.input,
      instanceId: record.instanceId,
      isReplaying: !firstEpisode,
      parentInstanceId: record.parent?.instanceId ?? null,
    });
    const result = await this.functions.invoke(record.name, this.inputData(fn, { string: payload }), undefined, {
      instanceId: record.instanceId,
    });
    if (result.ok) {
      try {
        const returned = parseReturnedJson(result.returnValue);
        if (returned === undefined) return { failure: `${prefix}the orchestrator returned no OrchestratorState` };
        return { state: parseOrchestratorState(returned) };
      } catch (err) {
        return { failure: `${prefix}${describe(err)}` };
      }
    }
    const embedded = outOfProcState(result.error.message) ?? outOfProcState(result.rpcExceptionMessage);
    if (embedded !== undefined) {
      try {
        const state = parseOrchestratorState(embedded);
        return { state, failure: `${prefix}${state.error ?? ''}` };
      } catch (err) {
        return { failure: `${prefix}${describe(err)}` };
      }
    }
    return { failure: `${prefix}${result.error.message}` };
  }

  /**
   * Matches the cumulative actions against those already applied and turns the new tail into history and work.
   * Returns a failure message (non-determinism, unknown function, unsupported action) or undefined.
   */
  private applyActions(
    record: InstanceRecord,
    state: ExecutionState,
    actions: readonly AtomicAction[],
    now: number,
    out: HistoryEvent[],
    work: EpisodeWork,
  ): string | undefined {
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i] as AtomicAction;
      const signature = actionSignature(action);
      if (i < state.applied.length) {
        const recorded = state.applied[i];
        if (recorded !== signature) {
          const id = state.appliedIds[i];
          return (
            `Non-deterministic workflow detected: A previous execution of this orchestration scheduled ${recorded}` +
            `${id === null || id === undefined ? '' : ` with sequence ID ${id}`}, but the current replay execution ` +
            `scheduled ${signature} in its place. Was a change made to the orchestrator code after this instance had ` +
            `already started running?`
          );
        }
        const id = state.appliedIds[i];
        if (action.kind === 'timer' && action.isCanceled && typeof id === 'number') {
          this.disarm(record.instanceId, record.executionId, id);
          work.timers = work.timers.filter((t) => t.timerId !== id);
          void this.store.deleteTimer(record.instanceId, record.executionId, id);
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
      if (action.kind === 'activity' && this.functions.get(action.name)?.trigger.type !== 'activityTrigger') {
        return unknownFunctionMessage(action.name, 'activity', this.functionsOfType('activityTrigger'));
      }
      if (action.kind === 'subOrchestration' && !this.isOrchestrator(action.name)) {
        return unknownFunctionMessage(action.name, 'orchestrator', this.functionsOfType('orchestrationTrigger'));
      }
      const id = state.nextId++;
      state.applied.push(signature);
      state.appliedIds.push(id);
      switch (action.kind) {
        case 'activity':
          out.push(
            historyEvent(
              'TaskScheduled',
              now,
              { Name: action.name, Version: '', Input: `[${action.input ?? 'null'}]` },
              id,
            ),
          );
          work.activities.push({ ...jobBase(record), id, name: action.name, input: action.input });
          if (action.retry !== undefined) state.retries.push(newRetryTrack('activity', action, action.retry, id, now));
          break;
        case 'subOrchestration': {
          const childId = action.instanceId ?? `${record.executionId}:${id}`;
          out.push(
            historyEvent(
              'SubOrchestrationInstanceCreated',
              now,
              { Name: action.name, Version: '', InstanceId: childId, Input: action.input ?? null },
              id,
            ),
          );
          work.children.push({
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
          out.push(historyEvent('TimerCreated', now, { FireAt: iso(action.fireAt) }, id));
          if (!action.isCanceled) {
            work.timers.push({ ...jobBase(record), timerId: id, fireAt: action.fireAt });
          }
          break;
        case 'callEntity':
        case 'signalEntity': {
          const requestId = crypto.randomUUID();
          const isSignal = action.kind === 'signalEntity';
          const request = {
            op: action.operation,
            signal: isSignal,
            input: action.input ?? null,
            id: requestId,
            parent: isSignal ? null : record.instanceId,
            parentExecution: isSignal ? null : record.executionId,
          };
          out.push(
            historyEvent(
              'EventSent',
              now,
              { InstanceId: action.schedulerId, Name: 'op', Input: JSON.stringify(request) },
              id,
            ),
          );
          if (!isSignal) state.entityRequestIds.push(requestId);
          work.entityMessages.push({
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

  private async finish(
    record: InstanceRecord,
    state: ExecutionState,
    events: HistoryEvent[],
    consumed: number[],
    now: number,
    end: { status: RuntimeStatus; output: string; statusCode: number; result: string; parentReason?: string },
  ): Promise<void> {
    const { instanceId, executionId } = record;
    await this.store.appendHistory(instanceId, executionId, [
      ...events,
      historyEvent(
        'ExecutionCompleted',
        now,
        { OrchestrationStatus: end.statusCode, Result: end.result, FailureDetails: null },
        state.nextId,
      ),
      historyEvent('OrchestratorCompleted', now),
    ]);
    await this.store.putExecutionState(instanceId, executionId, state);
    const updated: InstanceRecord = { ...record, runtimeStatus: end.status, output: end.output, lastUpdatedTime: now };
    if (!(await this.store.updateInstance(updated, executionId))) return;
    await this.store.deleteMessages(instanceId, consumed);
    this.disarmExecution(instanceId, executionId);
    if (end.status === 'Completed') await this.notifyParent(updated, 'completed', end.output, '');
    else
      await this.notifyParent(
        updated,
        'failed',
        end.parentReason ?? end.result,
        exceptionDetails(end.result, undefined),
      );
  }

  /**
   * How many of an episode's batch events the orchestrator's replay had reached when it continued as new. The replay
   * stops at the event that let it finish (durable-functions ends its history loop there), so this is the shortest
   * batch prefix that still ends in continue-as-new, found by replaying prefixes (a binary search; only episodes with
   * several new events pay for it). The events before that point that no wait consumed are dropped with the ending
   * execution; the ones after it stay queued for the next execution. Both are what the Durable extension 3.19.0 was
   * observed to do on the Azure Storage provider (docs/fidelity.md).
   */
  private async continueAsNewReach(
    record: InstanceRecord,
    history: HistoryEvent[],
    batchSize: number,
    firstEpisode: boolean,
  ): Promise<number> {
    const fixed = history.length - batchSize;
    // An episode after the first was not finished before its batch, so it reached at least one batch event; nor can
    // an execution finish before its ExecutionStarted, which opens the batch of a started instance's first episode.
    const started = history.findIndex((event) => event.EventType === EventType.ExecutionStarted);
    let low = Math.max(firstEpisode ? 0 : Math.min(1, batchSize), started + 1 - fixed);
    let high = batchSize;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      const probe = await this.invokeOrchestrator(record, history.slice(0, fixed + mid), firstEpisode);
      if (probe.state?.isDone === true && probe.state.continueAsNew !== undefined) high = mid;
      else low = mid + 1;
    }
    return high;
  }

  private async continueAsNew(
    record: InstanceRecord,
    orchestratorState: OrchestratorState,
    consumed: number[],
    now: number,
  ): Promise<void> {
    const next: InstanceRecord = {
      ...record,
      executionId: newGuidN(),
      input: orchestratorState.continueAsNew?.input ?? null,
      output: null,
      runtimeStatus: 'Running',
      // Each generation has its own creation time on the Azure Storage provider (observed on extension 3.19.0).
      createdTime: now,
      lastUpdatedTime: now,
      generation: record.generation + 1,
    };
    await this.store.putExecutionState(
      next.instanceId,
      next.executionId,
      freshExecutionState([executionStartedEvent(next, now)]),
    );
    if (!(await this.store.updateInstance(next, record.executionId))) {
      await this.store.dropExecutions(
        record.instanceId,
        (await this.store.getInstance(record.instanceId))?.executionId,
      );
      return;
    }
    await this.store.deleteMessages(record.instanceId, consumed);
    this.disarmExecution(record.instanceId, record.executionId);
    // Continue-as-new really drops the ended execution: memory stays flat over any number of generations.
    await this.store.dropExecutions(record.instanceId, next.executionId);
  }

  private async notifyParent(
    child: InstanceRecord,
    how: 'completed' | 'failed',
    value: string,
    details: string,
  ): Promise<void> {
    const parent = child.parent;
    if (parent === null) return;
    const now = this.clock.now();
    const event =
      how === 'completed'
        ? historyEvent('SubOrchestrationInstanceCompleted', now, {
            TaskScheduledId: parent.taskScheduledId,
            Result: value,
          })
        : historyEvent('SubOrchestrationInstanceFailed', now, {
            TaskScheduledId: parent.taskScheduledId,
            Reason: value,
            Details: details,
          });
    await this.enqueue(parent.instanceId, { kind: 'event', executionId: parent.executionId, event });
  }

  // ----- side effects -------------------------------------------------------------------------------------------

  private async dispatch(work: EpisodeWork): Promise<void> {
    for (const timer of work.timers) {
      await this.store.putTimer(timer);
      this.arm(timer);
    }
    for (const job of work.activities) {
      this.tracker.track(
        () => this.runActivity(job),
        (err) => this.log('error', `Activity '${job.name}' could not be run: ${describe(err)}`),
      );
    }
    for (const child of work.children) {
      this.tracker.track(
        () => this.startChild(child),
        (err) => this.log('error', `Sub-orchestration '${child.name}' could not be started: ${describe(err)}`),
      );
    }
    for (const item of work.immediateEvents) {
      await this.enqueue(item.instanceId, { kind: 'event', executionId: item.executionId, event: item.event });
    }
    await this.dispatchFireAndForget(work);
  }

  /** Entity messages go out even when the episode ended the execution (signals are fire-and-forget). */
  private async dispatchFireAndForget(work: EpisodeWork): Promise<void> {
    for (const job of work.entityMessages) {
      await this.enqueue(job.schedulerId, job.message);
    }
  }

  private async runActivity(job: ActivityJob): Promise<void> {
    await this.activities.run(async () => {
      const fn = this.functions.get(job.name);
      if (fn === undefined) return;
      const result = await this.functions.invoke(
        job.name,
        this.inputData(fn, activityInputData(job.input)),
        undefined,
        {
          instanceId: job.instanceId,
        },
      );
      const now = this.clock.now();
      const event = result.ok
        ? historyEvent('TaskCompleted', now, { TaskScheduledId: job.id, Result: returnValueJson(result.returnValue) })
        : historyEvent('TaskFailed', now, {
            TaskScheduledId: job.id,
            Reason: `Activity function '${job.name}' failed: ${exceptionText(result.rpcExceptionMessage, ` ${result.error.message}`)}`,
            Details: exceptionDetails(result.error.message, result.error.stack),
          });
      await this.enqueue(job.instanceId, { kind: 'event', executionId: job.executionId, event });
    });
  }

  private async startChild(job: ChildJob): Promise<void> {
    const result = await this.startOrchestration(
      job.name,
      job.instanceId,
      job.input ?? null,
      job.parent,
      NON_RUNNING_DEDUPE,
    );
    if (result.created) return;
    const reason = `An Orchestration instance with the status ${result.record.runtimeStatus} already exists.`;
    await this.enqueue(job.parent.instanceId, {
      kind: 'event',
      executionId: job.parent.executionId,
      event: historyEvent('SubOrchestrationInstanceFailed', this.clock.now(), {
        TaskScheduledId: job.parent.taskScheduledId,
        Reason: reason,
        Details: exceptionDetails(reason, undefined),
      }),
    });
  }

  // ----- timers -------------------------------------------------------------------------------------------------

  private timerKey(instanceId: string, executionId: string, timerId: number): string {
    return `${instanceId}\u0000${executionId}\u0000${timerId}`;
  }

  private arm(timer: TimerRecord): void {
    const key = this.timerKey(timer.instanceId, timer.executionId, timer.timerId);
    this.armed.get(key)?.();
    const fire = (): void => {
      this.armed.delete(key);
      this.tracker.track(
        () => this.fireTimer(timer),
        (err) => this.log('error', `Timer ${timer.timerId} of '${timer.instanceId}' failed to fire: ${describe(err)}`),
      );
    };
    if (timer.fireAt <= this.clock.now()) {
      fire();
      return;
    }
    this.armed.set(key, this.clock.schedule(timer.fireAt, fire));
  }

  private async fireTimer(timer: TimerRecord): Promise<void> {
    await this.store.deleteTimer(timer.instanceId, timer.executionId, timer.timerId);
    await this.enqueue(timer.instanceId, {
      kind: 'event',
      executionId: timer.executionId,
      event: historyEvent('TimerFired', this.clock.now(), { TimerId: timer.timerId, FireAt: iso(timer.fireAt) }),
    });
  }

  private disarm(instanceId: string, executionId: string, timerId: number): void {
    const key = this.timerKey(instanceId, executionId, timerId);
    this.armed.get(key)?.();
    this.armed.delete(key);
  }

  private disarmExecution(instanceId: string, executionId: string): void {
    const prefix = `${instanceId}\u0000${executionId}\u0000`;
    for (const [key, cancel] of this.armed) {
      if (key.startsWith(prefix)) {
        cancel();
        this.armed.delete(key);
      }
    }
  }

  private disarmInstance(instanceId: string): void {
    const prefix = `${instanceId}\u0000`;
    for (const [key, cancel] of this.armed) {
      if (key.startsWith(prefix)) {
        cancel();
        this.armed.delete(key);
      }
    }
  }

  /** The trigger data plus a `durableClient` binding for every client input the function declares. */
  private inputData(fn: RegisteredFunction, trigger: RpcTypedData): RpcParameterBinding[] {
    return [
      { name: fn.trigger.name, data: trigger },
      ...durableClientBindingNames(fn).map((name) => ({ name, data: { string: this.clientBindingJson() } })),
    ];
  }

  private functionsOfType(type: string): RegisteredFunction[] {
    return this.functions.list().filter((f) => f.trigger.type === type);
  }
}
