/**
 * Messages waiting in an instance's mailbox (the store's pending messages): history events for the next episode,
 * control operations, and entity operations.
 */
import type { StoredMessage } from '../store/types';
import type { HistoryEvent } from './history';
import { EventType, isHistoryEvent } from './history';

export interface EventFields {
  kind: 'event';
  event: HistoryEvent;
}
export type EventMessage = StoredMessage & EventFields;

export interface ControlFields {
  kind: 'terminate' | 'suspend' | 'resume';
  reason: string | null;
}
export type ControlMessage = StoredMessage & ControlFields;

export interface EntityOpFields {
  kind: 'entityOp';
  operation: string;
  input: string | null;
  isSignal: boolean;
  requestId: string;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
}
export type EntityOpMessage = StoredMessage & EntityOpFields;

export const isEventMessage = (m: StoredMessage): m is EventMessage => m.kind === 'event' && isHistoryEvent(m.event);
export const isControlMessage = (m: StoredMessage): m is ControlMessage =>
  m.kind === 'terminate' || m.kind === 'suspend' || m.kind === 'resume';
export const isEntityOpMessage = (m: StoredMessage): m is EntityOpMessage =>
  m.kind === 'entityOp' && typeof m.operation === 'string' && typeof m.requestId === 'string';

/** A start message: the ExecutionStarted event of a new execution, enqueued before its instance record is written. */
export const isStartMessage = (m: StoredMessage): m is EventMessage =>
  isEventMessage(m) && m.event.EventType === EventType.ExecutionStarted;

/** The execution a start message would begin. */
export function startedExecutionId(m: EventMessage): string | undefined {
  const instance = m.event.OrchestrationInstance as { ExecutionId?: unknown } | null | undefined;
  return typeof instance?.ExecutionId === 'string' ? instance.ExecutionId : undefined;
}
