/**
 * What continue-as-new carries into the next execution: external events the ending execution never consumed.
 */
import type { AtomicAction } from './actions';
import type { HistoryEvent } from './history';
import { EventType } from './history';

/**
 * EventRaised events of the ending execution that the orchestrator never consumed: per event name, the first
 * min(#raised, #waits) were consumed; the later ones move to the next execution in arrival order.
 */
export function carryOverEvents(
  history: readonly HistoryEvent[],
  actions: readonly AtomicAction[],
  entityRequestIds: readonly string[],
): HistoryEvent[] {
  const waits = new Map<string, number>();
  for (const action of actions) {
    if (action.kind === 'waitForEvent') waits.set(action.name, (waits.get(action.name) ?? 0) + 1);
  }
  const entityReplies = new Set(entityRequestIds);
  const seen = new Map<string, number>();
  const carried: HistoryEvent[] = [];
  for (const event of history) {
    if (event.EventType !== EventType.EventRaised || typeof event.Name !== 'string') continue;
    if (entityReplies.has(event.Name)) continue;
    const index = seen.get(event.Name) ?? 0;
    seen.set(event.Name, index + 1);
    if (index >= (waits.get(event.Name) ?? 0)) carried.push({ ...event, IsPlayed: false });
  }
  return carried;
}
