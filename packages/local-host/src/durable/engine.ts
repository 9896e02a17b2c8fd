/**
 * The durable engine: event-sourced orchestration instances driven episode by episode, the way the Durable Task
 * Framework and the Durable extension drive out-of-process (JavaScript) orchestrators.
 *
 * Each instance has a mailbox (pending messages in the store) and is processed by one drain loop at a time; many
 * instances run in parallel up to host.json's limits. An episode appends `OrchestratorStarted` + new messages, invokes
 * the orchestrator with the whole history, has the {@link planEpisode planner} turn the returned cumulative actions
 * into history and side effects, records the outcome and carries the side effects out: activities, timers
 * ({@link DurableTimers}), sub-orchestrations and entity messages. Control operations are {@link ControlOperations}.
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
} from '../store/types';
import { parseOrchestratorState } from './actions';
import { ControlOperations } from './control';
import { EntityRunner } from './entities';
import type { ActivityJob, ChildJob, EpisodeWork, ExecutionState } from './episode';
import { executionStartedEvent, freshExecutionState } from './episode';
import type { HistoryEvent } from './history';
import { historyEvent, isHistoryEvent, newGuidN } from './history';
import type { ControlFields, EntityOpFields, EventMessage } from './messages';
import { isControlMessage, isStartMessage, startedExecutionId } from './messages';
import { describe, unknownFunctionMessage } from './names';
import {
  activityInputData,
  exceptionDetails,
  exceptionText,
  orchestrationTriggerPayload,
  outOfProcState,
  parseReturnedJson,
  returnValueJson,
} from './payloads';
import type { EpisodePlan, ExecutionEnd, OrchestratorAnswer, ParentNotice, PlanContext } from './planner';
import { continueAsNewSearch, nextGeneration, nextMailboxWork, openEpisode, parentEvent, planEpisode } from './planner';
import { DurableTimers } from './timers';
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

/** One round trip to storage: lets other work run between the calls of a start, as it does against Azure Storage. */
const storageRoundTrip = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  private readonly timers: DurableTimers;
  private readonly controls: ControlOperations;
  private readonly planContext: PlanContext;

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
    const enqueue = (instanceId: string, message: PendingMessage): Promise<void> => this.enqueue(instanceId, message);
    this.entityRunner = new EntityRunner({
      store: this.store,
      functions: this.functions,
      clock: this.clock,
      enqueue,
      inputData: (fn, trigger) => this.inputData(fn, trigger),
      functionsOfType: (type) => this.functionsOfType(type),
    });
    this.timers = new DurableTimers({
      store: this.store,
      clock: this.clock,
      log: this.log,
      tracker: this.tracker,
      enqueue,
    });
    this.controls = new ControlOperations({
      store: this.store,
      clock: this.clock,
      timers: this.timers,
      enqueue,
      notifyParent: (child, notice) => this.notifyParent(child, notice),
    });
    this.planContext = {
      functions: {
        is: (name, triggerType) => this.functions.get(name)?.trigger.type === triggerType,
        ofType: (triggerType) => this.functionsOfType(triggerType),
      },
      newRequestId: () => crypto.randomUUID(),
    };
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
      if (written && existing !== undefined) this.timers.disarmInstance(instanceId);
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
    await this.controls.raiseEvent(instanceId, eventName, inputJson);
  }

  async control(instanceId: string, kind: ControlFields['kind'], reason: string | null): Promise<void> {
    await this.controls.request(instanceId, kind, reason);
  }

  async purge(instanceId: string): Promise<boolean> {
    return this.controls.purge(instanceId);
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
    for (const timer of await this.store.listTimers()) this.timers.arm(timer);
    for (const instanceId of await this.store.instancesWithMessages()) this.kick(instanceId);
  }

  dispose(): void {
    this.disposed = true;
    this.timers.dispose();
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
      await this.controls.apply(record, state, control);
      return true;
    }
    const work = nextMailboxWork(live, state);
    if (work.kind === 'control') {
      await this.controls.apply(record, state, work.message);
      return true;
    }
    if (work.skipped.length > 0) await this.store.deleteMessages(instanceId, work.skipped);
    if (work.batch.length === 0 && state.episodes > 0) return false;
    await this.runEpisode(record, state, work.batch);
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

  // ----- episodes -----------------------------------------------------------------------------------------------

  private async runEpisode(record: InstanceRecord, stored: ExecutionState, batch: EventMessage[]): Promise<void> {
    const episode = openEpisode(
      stored,
      batch.map((m) => m.event),
      this.clock.now(),
    );
    const { now } = episode;
    const { instanceId, executionId } = record;

    let current: InstanceRecord = record;
    if (record.runtimeStatus === 'Pending') {
      current = { ...record, runtimeStatus: 'Running', lastUpdatedTime: now };
      if (!(await this.store.updateInstance(current, executionId))) return;
    }

    const past = (await this.store.getHistory(instanceId, executionId))
      .filter(isHistoryEvent)
      .map((e) => ({ ...e, IsPlayed: true }));
    const history = [...past, ...episode.newEvents];
    const answer = await this.invokeOrchestrator(record, history, episode.firstEpisode);
    const plan = planEpisode(record, episode, answer, this.planContext);
    for (const timerId of plan.canceledTimers) await this.timers.cancel(instanceId, executionId, timerId);
    if (plan.customStatus !== undefined) current = { ...current, customStatus: plan.customStatus };

    const consumed = batch.map((m) => m.seq);
    const { decision } = plan;
    if (decision.kind === 'end') {
      await this.finish(current, plan, decision.end, consumed, now);
      await this.dispatchFireAndForget(plan.work);
      return;
    }
    if (decision.kind === 'continueAsNew') {
      const reached = await this.continueAsNewReach(record, history, batch.length, episode.firstEpisode);
      await this.continueAsNew(current, decision.input, consumed.slice(0, reached), now);
      await this.dispatchFireAndForget(plan.work);
      return;
    }
    await this.store.appendHistory(instanceId, executionId, plan.history);
    await this.store.putExecutionState(instanceId, executionId, plan.state);
    if (!(await this.store.updateInstance({ ...current, lastUpdatedTime: now }, executionId))) return;
    await this.store.deleteMessages(instanceId, consumed);
    await this.dispatch(plan.work);
  }

  private async invokeOrchestrator(
    record: InstanceRecord,
    history: HistoryEvent[],
    firstEpisode: boolean,
  ): Promise<OrchestratorAnswer> {
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

  /** Records an ending execution (its closing history is in the plan) and tells its parent. */
  private async finish(
    record: InstanceRecord,
    plan: EpisodePlan,
    end: ExecutionEnd,
    consumed: number[],
    now: number,
  ): Promise<void> {
    const { instanceId, executionId } = record;
    await this.store.appendHistory(instanceId, executionId, plan.history);
    await this.store.putExecutionState(instanceId, executionId, plan.state);
    const updated: InstanceRecord = { ...record, runtimeStatus: end.status, output: end.output, lastUpdatedTime: now };
    if (!(await this.store.updateInstance(updated, executionId))) return;
    await this.store.deleteMessages(instanceId, consumed);
    this.timers.disarmExecution(instanceId, executionId);
    await this.notifyParent(updated, end.parent);
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
    const search = continueAsNewSearch(history, batchSize, firstEpisode);
    let { low, high } = search;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      const probe = await this.invokeOrchestrator(record, history.slice(0, search.fixed + mid), firstEpisode);
      if (probe.state?.isDone === true && probe.state.continueAsNew !== undefined) high = mid;
      else low = mid + 1;
    }
    return high;
  }

  private async continueAsNew(
    record: InstanceRecord,
    input: string | null,
    consumed: number[],
    now: number,
  ): Promise<void> {
    const next = nextGeneration(record, input, newGuidN(), now);
    await this.store.putExecutionState(next.record.instanceId, next.record.executionId, next.state);
    if (!(await this.store.updateInstance(next.record, record.executionId))) {
      await this.store.dropExecutions(
        record.instanceId,
        (await this.store.getInstance(record.instanceId))?.executionId,
      );
      return;
    }
    await this.store.deleteMessages(record.instanceId, consumed);
    this.timers.disarmExecution(record.instanceId, record.executionId);
    // Continue-as-new really drops the ended execution: memory stays flat over any number of generations.
    await this.store.dropExecutions(record.instanceId, next.record.executionId);
  }

  private async notifyParent(child: InstanceRecord, notice: ParentNotice): Promise<void> {
    if (child.parent !== null) await this.tellParent(child.parent, notice);
  }

  private async tellParent(parent: ParentRef, notice: ParentNotice): Promise<void> {
    await this.enqueue(parent.instanceId, {
      kind: 'event',
      executionId: parent.executionId,
      event: parentEvent(parent.taskScheduledId, notice, this.clock.now()),
    });
  }

  // ----- side effects -------------------------------------------------------------------------------------------

  private async dispatch(work: EpisodeWork): Promise<void> {
    await this.timers.schedule(work.timers);
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
    await this.tellParent(job.parent, { how: 'failed', value: reason, details: exceptionDetails(reason, undefined) });
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
