/**
 * Control operations on an orchestration instance: raising an event, requesting terminate, suspend or resume (queued
 * in the instance's mailbox and applied in order with its other messages), and purging it.
 */
import type { Clock } from '../contracts';
import type { DurableStore, InstanceRecord, PendingMessage } from '../store/types';
import type { ExecutionState } from './episode';
import type { HistoryEvent } from './history';
import { OrchestrationStatusCode, historyEvent } from './history';
import type { ControlFields, ControlMessage } from './messages';
import { toJsonText } from './names';
import { exceptionDetails } from './payloads';
import type { ParentNotice } from './planner';
import type { DurableTimers } from './timers';

export interface ControlOperationsOptions {
  store: DurableStore;
  clock: Clock;
  timers: DurableTimers;
  /** Queues a message for an instance and wakes it. */
  enqueue(instanceId: string, message: PendingMessage): Promise<void>;
  /** Tells the parent orchestration of `child` (if any) how it ended. */
  notifyParent(child: InstanceRecord, notice: ParentNotice): Promise<void>;
}

/** The history a terminated execution closes with (`nextId`: its next sequence id). */
export function terminationHistory(reason: string | null, nextId: number, now: number): HistoryEvent[] {
  return [
    historyEvent('OrchestratorStarted', now),
    historyEvent('ExecutionTerminated', now, { Input: reason }),
    historyEvent(
      'ExecutionCompleted',
      now,
      { OrchestrationStatus: OrchestrationStatusCode.Terminated, Result: reason, FailureDetails: null },
      nextId,
    ),
    historyEvent('OrchestratorCompleted', now),
  ];
}

export class ControlOperations {
  constructor(private readonly options: ControlOperationsOptions) {}

  /** Queues an external event for the instance's next episode. */
  async raiseEvent(instanceId: string, eventName: string, inputJson: string): Promise<void> {
    await this.options.enqueue(instanceId, {
      kind: 'event',
      event: historyEvent('EventRaised', this.options.clock.now(), { Name: eventName, Input: inputJson }),
    });
  }

  /** Queues a terminate, suspend or resume request; it is applied when the instance's mailbox reaches it. */
  async request(instanceId: string, kind: ControlFields['kind'], reason: string | null): Promise<void> {
    await this.options.enqueue(instanceId, { kind, reason });
  }

  /** Deletes the instance with everything it owns and disarms its timers; returns whether it existed. */
  async purge(instanceId: string): Promise<boolean> {
    this.options.timers.disarmInstance(instanceId);
    return this.options.store.purgeInstance(instanceId);
  }

  /** Applies a control message taken from the instance's mailbox to its current execution. */
  async apply(record: InstanceRecord, state: ExecutionState, message: ControlMessage): Promise<void> {
    const now = this.options.clock.now();
    await this.options.store.deleteMessages(record.instanceId, [message.seq]);
    if (message.kind === 'terminate') await this.terminate(record, state, message.reason, now);
    else if (message.kind === 'suspend') await this.suspend(record, state, message.reason, now);
    else await this.resume(record, state, message.reason, now);
  }

  private async terminate(
    record: InstanceRecord,
    state: ExecutionState,
    reason: string | null,
    now: number,
  ): Promise<void> {
    const { store, timers } = this.options;
    await store.appendHistory(record.instanceId, record.executionId, terminationHistory(reason, state.nextId, now));
    const updated: InstanceRecord = {
      ...record,
      runtimeStatus: 'Terminated',
      output: toJsonText(reason),
      lastUpdatedTime: now,
    };
    if (await store.updateInstance(updated, record.executionId)) {
      timers.disarmExecution(record.instanceId, record.executionId);
      await this.options.notifyParent(updated, {
        how: 'failed',
        value: reason ?? '',
        details: exceptionDetails(reason ?? '', undefined),
      });
    }
  }

  private async suspend(
    record: InstanceRecord,
    state: ExecutionState,
    reason: string | null,
    now: number,
  ): Promise<void> {
    if (record.runtimeStatus !== 'Running' && record.runtimeStatus !== 'Pending') return;
    const { store } = this.options;
    await store.putExecutionState(record.instanceId, record.executionId, {
      ...state,
      suspendedFrom: record.runtimeStatus,
    });
    if (state.episodes > 0) {
      await store.appendHistory(record.instanceId, record.executionId, [
        historyEvent('ExecutionSuspended', now, { Reason: reason }),
      ]);
    }
    // The extension keeps the suspend reason as the instance's output while it is suspended (observed, 3.19.0).
    await store.updateInstance(
      { ...record, runtimeStatus: 'Suspended', output: toJsonText(reason), lastUpdatedTime: now },
      record.executionId,
    );
  }

  private async resume(
    record: InstanceRecord,
    state: ExecutionState,
    reason: string | null,
    now: number,
  ): Promise<void> {
    if (record.runtimeStatus !== 'Suspended') return;
    const { store } = this.options;
    const { suspendedFrom, ...resumed } = state;
    await store.putExecutionState(record.instanceId, record.executionId, resumed);
    if (state.episodes > 0) {
      await store.appendHistory(record.instanceId, record.executionId, [
        historyEvent('ExecutionResumed', now, { Reason: reason }),
      ]);
    }
    await store.updateInstance(
      { ...record, runtimeStatus: suspendedFrom ?? 'Running', output: null, lastUpdatedTime: now },
      record.executionId,
    );
  }
}
