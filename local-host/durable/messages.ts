/**
 * Messages waiting in an instance's mailbox (the store's pending messages): history events for the next episode,
 * control operations, and entity operations.
 */
import type { StoredMessage } from '../store/types';
import type { HistoryEvent } from './history';
import { isHistoryEvent } from './history';

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
