/**
 * The episode planner without I/O: histories, bookkeeping and orchestrator answers built directly, the plan checked
 * as data.
 */
import type { RegisteredFunction } from '../../src/contracts';
import { ActionType, parseOrchestratorState } from '../../src/durable/actions';
import type { ExecutionState } from '../../src/durable/episode';
import { freshExecutionState } from '../../src/durable/episode';
import type { HistoryEvent } from '../../src/durable/history';
import { EventType, OrchestrationStatusCode, historyEvent, iso } from '../../src/durable/history';
import type { EventMessage } from '../../src/durable/messages';
import { unknownFunctionMessage } from '../../src/durable/names';
import type { OpenedEpisode, OrchestratorAnswer, PlanContext } from '../../src/durable/planner';
import {
  CUSTOM_STATUS_LIMIT_KB,
  MAX_BATCH,
  continueAsNewSearch,
  customStatusProblem,
  nextGeneration,
  nextMailboxWork,
  openEpisode,
  parentEvent,
  planEpisode,
} from '../../src/durable/planner';
import { newRetryTrack } from '../../src/durable/retries';
import type { StoredMessage } from '../../src/store/types';
import { instanceRecord } from '../support/records';

const NOW = Date.UTC(2024, 0, 1);

const record = instanceRecord('i', {
  executionId: 'e',
  runtimeStatus: 'Running',
  createdTime: 0,
  lastUpdatedTime: 0,
});

const fn = (name: string, type: string): RegisteredFunction => ({
  name,
  bindings: {},
  trigger: { type, name: 'trigger', direction: 'in' },
});
const registered = [
  fn('Orch', 'orchestrationTrigger'),
  fn('Child', 'orchestrationTrigger'),
  fn('Act', 'activityTrigger'),
];

function context(): PlanContext {
  let n = 0;
  return {
    functions: {
      is: (name, type) => registered.some((f) => f.name === name && f.trigger.type === type),
      ofType: (type) => registered.filter((f) => f.trigger.type === type),
    },
    newRequestId: () => `req-${n++}`,
  };
}

/** The orchestrator's answer from its raw OrchestratorState (schema V2: every action in `actions[0]`). */
const answer = (raw: Record<string, unknown>, actions: unknown[] = []): OrchestratorAnswer => ({
  state: parseOrchestratorState({ isDone: false, ...raw, actions: [actions] }),
});

const callActivity = (input?: unknown) => ({ actionType: ActionType.CallActivity, functionName: 'Act', input });
const createTimer = (fireAt: number, isCanceled = false) => ({
  actionType: ActionType.CreateTimer,
  fireAt: iso(fireAt),
  isCanceled,
});
const retryOptions = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3 };

/** An episode after the first: one earlier episode, nothing initial. */
function episodeOf(state: ExecutionState, batch: HistoryEvent[] = []): OpenedEpisode {
  return openEpisode({ ...state, episodes: Math.max(1, state.episodes) }, batch, NOW);
}

const eventTypes = (events: readonly HistoryEvent[]) => events.map((e) => e.EventType);

let seq = 0;
const event = (e: HistoryEvent, executionId?: string): EventMessage => ({
  seq: ++seq,
  kind: 'event',
  event: e,
  ...(executionId === undefined ? {} : { executionId }),
});
const raised = (name: string) => event(historyEvent('EventRaised', NOW, { Name: name, Input: 'null' }));
const terminate = (): StoredMessage => ({ seq: ++seq, kind: 'terminate', reason: null });

describe('nextMailboxWork', () => {
  it('takes a control message at the head on its own', () => {
    const control = terminate();
    expect(nextMailboxWork([control, raised('a')], freshExecutionState())).toEqual({
      kind: 'control',
      message: control,
    });
  });

  it('batches events up to the next control message and skips what is not an event', () => {
    const a = raised('a');
    const b = raised('b');
    const junk: StoredMessage = { seq: ++seq, kind: 'entityOp' };
    const work = nextMailboxWork([a, junk, b, terminate(), raised('c')], freshExecutionState());
    expect(work).toEqual({ kind: 'episode', batch: [a, b], skipped: [junk.seq] });
  });

  it(`takes at most ${MAX_BATCH} events`, () => {
    const many = Array.from({ length: MAX_BATCH + 5 }, (_, i) => raised(`e${i}`));
    const work = nextMailboxWork(many, freshExecutionState());
    expect(work.kind === 'episode' && work.batch).toHaveLength(MAX_BATCH);
  });

  it('lets an event that advances a retry only open a batch', () => {
    const state = freshExecutionState();
    state.retries.push(newRetryTrack('activity', { name: 'Act', input: undefined }, parseRetry(), 0, NOW));
    const a = raised('a');
    const failed = event(historyEvent('TaskFailed', NOW, { TaskScheduledId: 0, Reason: 'r', Details: 'd' }));
    expect(nextMailboxWork([a, failed], state)).toMatchObject({ batch: [a] });
    expect(nextMailboxWork([failed, a], state)).toMatchObject({ batch: [failed, a] });
  });
});

function parseRetry() {
  const state = parseOrchestratorState({
    isDone: false,
    actions: [[{ ...callActivity(), actionType: ActionType.CallActivityWithRetry, retryOptions }]],
  });
  const action = state.actions[0];
  if (action?.kind !== 'activity' || action.retry === undefined) throw new Error('expected an activity with retry');
  return action.retry;
}

describe('openEpisode', () => {
  it("opens the first episode with the generation's initial events and counts it", () => {
    const started = historyEvent('ExecutionStarted', 0, { Name: 'Orch' });
    const state = freshExecutionState([started]);
    const batchEvent = { ...historyEvent('EventRaised', 0, { Name: 'x' }), IsPlayed: true };
    const episode = openEpisode(state, [batchEvent], NOW);
    expect(episode.firstEpisode).toBe(true);
    expect(eventTypes(episode.newEvents)).toEqual([
      EventType.OrchestratorStarted,
      EventType.ExecutionStarted,
      EventType.EventRaised,
    ]);
    expect(episode.batchEvents).toEqual([{ ...batchEvent, IsPlayed: false }]);
    expect(episode.state).toMatchObject({ episodes: 1, initialEvents: [] });
    expect(state).toMatchObject({ episodes: 0, initialEvents: [started] });
  });

  it('opens a later episode with OrchestratorStarted and the batch only', () => {
    const episode = episodeOf(freshExecutionState([historyEvent('ExecutionStarted', 0)]));
    expect(episode.firstEpisode).toBe(false);
    expect(eventTypes(episode.newEvents)).toEqual([EventType.OrchestratorStarted]);
  });
});

describe('planEpisode', () => {
  it('schedules a new activity with the next sequence id and waits', () => {
    const state = freshExecutionState();
    const episode = episodeOf(state);
    const plan = planEpisode(record, episode, answer({}, [callActivity(5)]), context());
    expect(plan.decision).toEqual({ kind: 'continue' });
    expect(plan.history).toEqual([
      ...episode.newEvents,
      historyEvent('TaskScheduled', NOW, { Name: 'Act', Version: '', Input: '[5]' }, 0),
      historyEvent('OrchestratorCompleted', NOW),
    ]);
    expect(plan.work.activities).toEqual([{ instanceId: 'i', executionId: 'e', id: 0, name: 'Act', input: '5' }]);
    expect(plan.state).toMatchObject({ nextId: 1, applied: ["activity 'Act'"], appliedIds: [0] });
    expect(episode.state).toMatchObject({ nextId: 0, applied: [] });
  });

  it('replays actions already applied without scheduling them again', () => {
    const first = planEpisode(record, episodeOf(freshExecutionState()), answer({}, [callActivity()]), context());
    const again = planEpisode(record, episodeOf(first.state), answer({}, [callActivity()]), context());
    expect(again.work.activities).toEqual([]);
    expect(eventTypes(again.history)).toEqual([EventType.OrchestratorStarted, EventType.OrchestratorCompleted]);
    expect(again.state.nextId).toBe(1);
  });

  it('fails on a replay that schedules something else at a sequence id', () => {
    const first = planEpisode(record, episodeOf(freshExecutionState()), answer({}, [callActivity()]), context());
    const plan = planEpisode(record, episodeOf(first.state), answer({}, [createTimer(NOW)]), context());
    expect(plan.decision).toMatchObject({ kind: 'end', end: { status: 'Failed' } });
    const failure = plan.decision.kind === 'end' ? plan.decision.end.parent.value : '';
    expect(failure).toContain(
      "Orchestrator function 'Orch' failed: Non-deterministic workflow detected: A previous execution of this " +
        "orchestration scheduled activity 'Act' with sequence ID 0, but the current replay execution scheduled timer",
    );
    expect(plan.history.at(-2)).toEqual(
      historyEvent(
        'ExecutionCompleted',
        NOW,
        { OrchestrationStatus: OrchestrationStatusCode.Failed, Result: failure, FailureDetails: null },
        1,
      ),
    );
  });

  it('fails on an unknown activity or sub-orchestrator and on an unsupported action', () => {
    const plans = [
      answer({}, [{ actionType: ActionType.CallActivity, functionName: 'Nope' }]),
      answer({}, [{ actionType: ActionType.CallSubOrchestrator, functionName: 'Act' }]),
      answer({}, [{ actionType: ActionType.CallHttp }]),
    ].map((a) => planEpisode(record, episodeOf(freshExecutionState()), a, context()));
    const prefix = "Orchestrator function 'Orch' failed: ";
    expect(plans.map((p) => (p.decision.kind === 'end' ? p.decision.end.parent.value : undefined))).toEqual([
      prefix + unknownFunctionMessage('Nope', 'activity', [registered[2]!]),
      prefix + unknownFunctionMessage('Act', 'orchestrator', registered.slice(0, 2)),
      `${prefix}callHttp is not supported by the local host.`,
    ]);
  });

  it('keeps what was planned before a failure: its events, ids and entity messages', () => {
    const signal = { actionType: ActionType.SignalEntity, instanceId: '@counter@k', operation: 'add', input: 1 };
    const plan = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({}, [signal, { actionType: ActionType.CallActivity, functionName: 'Nope' }]),
      context(),
    );
    expect(plan.decision.kind).toBe('end');
    expect(plan.work.entityMessages).toHaveLength(1);
    expect(plan.state.nextId).toBe(1);
    expect(eventTypes(plan.history)).toEqual([
      EventType.OrchestratorStarted,
      EventType.EventSent,
      EventType.ExecutionCompleted,
      EventType.OrchestratorCompleted,
    ]);
  });

  it('arms a new timer and cancels one the orchestrator canceled', () => {
    const created = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({}, [createTimer(NOW + 1000)]),
      context(),
    );
    expect(created.history[1]).toEqual(historyEvent('TimerCreated', NOW, { FireAt: iso(NOW + 1000) }, 0));
    expect(created.work.timers).toEqual([{ instanceId: 'i', executionId: 'e', timerId: 0, fireAt: NOW + 1000 }]);
    expect(created.canceledTimers).toEqual([]);

    const canceled = planEpisode(
      record,
      episodeOf(created.state),
      answer({}, [createTimer(NOW + 1000, true)]),
      context(),
    );
    expect(canceled.canceledTimers).toEqual([0]);
    expect(canceled.work.timers).toEqual([]);
  });

  it('neither arms nor cancels a timer created already canceled', () => {
    const plan = planEpisode(record, episodeOf(freshExecutionState()), answer({}, [createTimer(NOW, true)]), context());
    expect(eventTypes(plan.history)).toContain(EventType.TimerCreated);
    expect(plan.work.timers).toEqual([]);
    expect(plan.canceledTimers).toEqual([]);
  });

  it('starts a sub-orchestration under its own or a derived instance id', () => {
    const plan = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({}, [
        { actionType: ActionType.CallSubOrchestrator, functionName: 'Child', instanceId: 'kid', input: 1 },
        { actionType: ActionType.CallSubOrchestrator, functionName: 'Child' },
      ]),
      context(),
    );
    expect(plan.work.children).toEqual([
      {
        parent: { instanceId: 'i', executionId: 'e', name: 'Orch', taskScheduledId: 0 },
        name: 'Child',
        instanceId: 'kid',
        input: '1',
      },
      {
        parent: { instanceId: 'i', executionId: 'e', name: 'Orch', taskScheduledId: 1 },
        name: 'Child',
        instanceId: 'e:1',
        input: undefined,
      },
    ]);
    expect(plan.history[1]).toMatchObject({ EventType: EventType.SubOrchestrationInstanceCreated, InstanceId: 'kid' });
  });

  it('sends entity calls and signals, remembering only the calls’ request ids', () => {
    const plan = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({}, [
        { actionType: ActionType.CallEntity, instanceId: '@counter@k', operation: 'get' },
        { actionType: ActionType.SignalEntity, instanceId: '@counter@k', operation: 'add', input: 2 },
      ]),
      context(),
    );
    expect(plan.work.entityMessages.map((m) => m.message)).toEqual([
      expect.objectContaining({ requestId: 'req-0', isSignal: false, parentInstanceId: 'i', parentExecutionId: 'e' }),
      expect.objectContaining({ requestId: 'req-1', isSignal: true, input: '2', parentInstanceId: null }),
    ]);
    expect(plan.state.entityRequestIds).toEqual(['req-0']);
    expect(JSON.parse(String(plan.history[1]?.Input))).toEqual({
      op: 'get',
      signal: false,
      input: null,
      id: 'req-0',
      parent: 'i',
      parentExecution: 'e',
    });
  });

  it('records waits without a sequence id', () => {
    const plan = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({}, [{ actionType: ActionType.WaitForExternalEvent, externalEventName: 'go' }, callActivity()]),
      context(),
    );
    expect(plan.state.appliedIds).toEqual([null, 0]);
  });

  it('advances a retry on a failed attempt of the batch with a retry timer', () => {
    const withRetry = { ...callActivity(), actionType: ActionType.CallActivityWithRetry, retryOptions };
    const first = planEpisode(record, episodeOf(freshExecutionState()), answer({}, [withRetry]), context());
    expect(first.state.retries).toHaveLength(1);
    const failed = historyEvent('TaskFailed', NOW, { TaskScheduledId: 0, Reason: 'boom', Details: 'd' });
    const plan = planEpisode(record, episodeOf(first.state, [failed]), answer({}, [withRetry]), context());
    expect(plan.work.timers).toEqual([{ instanceId: 'i', executionId: 'e', timerId: 1, fireAt: NOW + 1000 }]);
    expect(plan.history).toContainEqual(historyEvent('TimerCreated', NOW, { FireAt: iso(NOW + 1000) }, 1));
    expect(first.state.retries[0]).toMatchObject({ attempt: 1 });
    expect(plan.state.retries[0]).toMatchObject({ attempt: 2, timerId: 1 });
  });

  it('completes with the output, or null, and tells the parent', () => {
    const done = planEpisode(record, episodeOf(freshExecutionState()), answer({ isDone: true, output: 42 }), context());
    expect(done.decision).toEqual({
      kind: 'end',
      end: { status: 'Completed', output: '42', parent: { how: 'completed', value: '42', details: '' } },
    });
    expect(done.history.at(-2)).toMatchObject({
      EventType: EventType.ExecutionCompleted,
      OrchestrationStatus: OrchestrationStatusCode.Completed,
      Result: '42',
    });
    const nothing = planEpisode(record, episodeOf(freshExecutionState()), answer({ isDone: true }), context());
    expect(nothing.decision).toMatchObject({ end: { output: 'null' } });
  });

  it('continues as new with the new input and appends nothing to the ending execution', () => {
    const plan = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({ isDone: true }, [{ actionType: ActionType.ContinueAsNew, input: { n: 1 } }]),
      context(),
    );
    expect(plan.decision).toEqual({ kind: 'continueAsNew', input: '{"n":1}' });
    expect(plan.history).toEqual([]);
  });

  it('fails with the invocation failure, keeping a custom status the answer carried', () => {
    const failing = { ...answer({ customStatus: 'half way' }), failure: "Orchestrator function 'Orch' failed: boom" };
    const plan = planEpisode(record, episodeOf(freshExecutionState()), failing, context());
    expect(plan.customStatus).toBe('"half way"');
    expect(plan.decision).toMatchObject({
      kind: 'end',
      end: { status: 'Failed', output: JSON.stringify("Orchestrator function 'Orch' failed: boom") },
    });
  });

  it(`refuses a custom status over ${CUSTOM_STATUS_LIMIT_KB} KB of UTF-16 and fails the orchestration`, () => {
    const big = 'x'.repeat(17 * 512);
    expect(customStatusProblem(JSON.stringify('x'.repeat(8 * 1024 - 2)))).toBeUndefined();
    const plan = planEpisode(
      record,
      episodeOf(freshExecutionState()),
      answer({ customStatus: big }, [callActivity()]),
      context(),
    );
    expect(plan.customStatus).toBeUndefined();
    expect(plan.work.activities).toEqual([]);
    expect(plan.decision).toMatchObject({
      end: {
        parent: {
          value:
            "Orchestrator function 'Orch' failed: The UTF-16 size of the JSON-serialized payload must not exceed 16 KB. " +
            'The current payload size is 17 KB.',
        },
      },
    });
  });
});

describe('continueAsNewSearch', () => {
  const started = historyEvent('ExecutionStarted', 0);
  const e = historyEvent('EventRaised', 0);
  const past = [historyEvent('OrchestratorStarted', 0), started, historyEvent('OrchestratorCompleted', 0)];

  it('searches from one batch event after the first episode', () => {
    const history = [...past, historyEvent('OrchestratorStarted', 0), e, e, e];
    expect(continueAsNewSearch(history, 3, false)).toEqual({ fixed: 4, low: 1, high: 3 });
  });

  it('searches past the ExecutionStarted that opens a first episode’s batch', () => {
    const history = [historyEvent('OrchestratorStarted', 0), started, e, e];
    expect(continueAsNewSearch(history, 3, true)).toEqual({ fixed: 1, low: 1, high: 3 });
  });

  it('has nothing to search in an empty batch', () => {
    expect(continueAsNewSearch([...past, historyEvent('OrchestratorStarted', 0)], 0, false)).toEqual({
      fixed: 4,
      low: 0,
      high: 0,
    });
  });
});

describe('nextGeneration', () => {
  it('starts a fresh execution with its own creation time and the next generation', () => {
    const withStatus = { ...record, customStatus: '"s"', output: '"o"', createdTime: 5 };
    const next = nextGeneration(withStatus, '{"n":1}', 'e2', NOW);
    expect(next.record).toEqual({
      ...withStatus,
      executionId: 'e2',
      input: '{"n":1}',
      output: null,
      runtimeStatus: 'Running',
      createdTime: NOW,
      lastUpdatedTime: NOW,
      generation: 1,
    });
    expect(next.state).toMatchObject({ nextId: 0, episodes: 0 });
    expect(next.state.initialEvents).toEqual([
      expect.objectContaining({
        EventType: EventType.ExecutionStarted,
        OrchestrationInstance: { InstanceId: 'i', ExecutionId: 'e2' },
        Input: '{"n":1}',
        Generation: 1,
      }),
    ]);
  });
});

describe('parentEvent', () => {
  it('tells a parent of a completion or a failure by its task id', () => {
    expect(parentEvent(3, { how: 'completed', value: '1', details: '' }, NOW)).toEqual(
      historyEvent('SubOrchestrationInstanceCompleted', NOW, { TaskScheduledId: 3, Result: '1' }),
    );
    expect(parentEvent(3, { how: 'failed', value: 'r', details: 'd' }, NOW)).toEqual(
      historyEvent('SubOrchestrationInstanceFailed', NOW, { TaskScheduledId: 3, Reason: 'r', Details: 'd' }),
    );
  });
});
