/**
 * Instance status JSON as the extension's HTTP API renders it (`StatusResponsePayload`), including the condensed
 * `historyEvents` view of `showHistory=true`.
 */
import type { InstanceRecord } from '../store/types';
import type { HistoryEvent } from './history';
import { EventType, eventTypeName } from './history';

/** `DateTime.ToString("s") + "Z"`: whole seconds, no fraction. */
export function formatStatusTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** JSON text as a value; text that is not JSON is returned as a string (the extension's `ParseToJToken`). */
export function parseToJToken(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface StatusOptions {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

export function statusPayload(
  record: InstanceRecord,
  options: StatusOptions,
  history?: readonly HistoryEvent[],
): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name: record.name,
    instanceId: record.instanceId,
    runtimeStatus: record.runtimeStatus,
    input: options.showInput ? parseToJToken(record.input) : null,
    customStatus: parseToJToken(record.customStatus),
    output: parseToJToken(record.output),
    createdTime: formatStatusTime(record.createdTime),
    lastUpdatedTime: formatStatusTime(record.lastUpdatedTime),
  };
  if (options.showHistory && history !== undefined) {
    payload.historyEvents = condenseHistory(history, options);
  }
  return payload;
}

const COMPLETIONS: readonly number[] = [
  EventType.TaskCompleted,
  EventType.TaskFailed,
  EventType.SubOrchestrationInstanceCompleted,
  EventType.SubOrchestrationInstanceFailed,
];
const HIDDEN: readonly number[] = [
  EventType.OrchestratorStarted,
  EventType.OrchestratorCompleted,
  EventType.TaskScheduled,
  EventType.SubOrchestrationInstanceCreated,
];

/** The extension's history view: scheduling rows merged into their completions, bookkeeping fields removed. */
export function condenseHistory(history: readonly HistoryEvent[], options: StatusOptions): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  for (const event of history) {
    if (event.EventType === EventType.TaskScheduled || event.EventType === EventType.SubOrchestrationInstanceCreated) {
      scheduled.set(event.EventId, event);
    }
  }
  const rows: Record<string, unknown>[] = [];
  for (const event of history) {
    if (HIDDEN.includes(event.EventType)) continue;
    const { EventType: type, EventId: _id, IsPlayed: _played, TimerId: _timer, TaskScheduledId, ...rest } = event;
    const row: Record<string, unknown> = { EventType: eventTypeName(type), ...rest };
    if (COMPLETIONS.includes(type) && typeof TaskScheduledId === 'number') {
      const origin = scheduled.get(TaskScheduledId);
      if (origin !== undefined) {
        row.FunctionName = origin.Name;
        row.ScheduledTime = origin.Timestamp;
        if (options.showInput) row.Input = origin.Input;
      }
    }
    if (type === EventType.ExecutionStarted) {
      row.FunctionName = event.Name;
      if (!options.showInput) delete row.Input;
    }
    if ('Result' in row) {
      if (options.showHistoryOutput) row.Result = parseToJToken(typeof row.Result === 'string' ? row.Result : null);
      else delete row.Result;
    }
    rows.push(row);
  }
  return rows;
}
