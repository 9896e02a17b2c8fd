/**
 * History events in the shape the Durable Task Framework serialises them (PascalCase, integer `EventType`), which is
 * what `durable-functions` replays. Only the fields the replay or the status API read are produced.
 */

/** DTFx `EventType` values (= durable-functions `HistoryEventType`). */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

export type EventTypeName = keyof typeof EventType;

const EVENT_TYPE_NAMES = new Map<number, EventTypeName>(
  Object.entries(EventType).map(([name, value]) => [value, name as EventTypeName]),
);

export function eventTypeName(eventType: number): string {
  return EVENT_TYPE_NAMES.get(eventType) ?? String(eventType);
}

/** DTFx `OrchestrationStatus` values, as written into ExecutionCompleted. */
export const OrchestrationStatusCode = {
  Running: 0,
  Completed: 1,
  ContinuedAsNew: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  Pending: 6,
  Suspended: 7,
} as const;

/** A serialised history event: common fields plus the event's own. */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function historyEvent(
  type: EventTypeName,
  timestampMs: number,
  fields: Record<string, unknown> = {},
  eventId = -1,
): HistoryEvent {
  return { EventType: EventType[type], EventId: eventId, IsPlayed: false, Timestamp: iso(timestampMs), ...fields };
}

export function isHistoryEvent(value: unknown): value is HistoryEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.EventType === 'number' && typeof v.EventId === 'number' && typeof v.Timestamp === 'string';
}

/** 32 lower-case hex digits, like .NET `Guid.ToString("N")` (instance and execution ids). */
export function newGuidN(): string {
  return crypto.randomUUID().replace(/-/g, '');
}
