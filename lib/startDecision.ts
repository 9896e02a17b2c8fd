/**
 * The singleton start decision as a pure function of what `getStatus` observed. The handler does the I/O around it;
 * the backend's own atomic dedupe still has the last word (a race is answered as a conflict after `startNew`).
 */
import { isTerminalStatus } from './runtimeStatus';
import type { TerminalStatus } from './runtimeStatus';

/** What to do when an active instance already has the requested ID: fail with 409, or answer with that instance. */
export type OnConflict = 'fail' | 'useExisting';

export interface ExistingInstance {
  name: string;
  runtimeStatus: string;
}

export type StartDecision =
  | { kind: 'start' }
  | { kind: 'restart'; previousStatus: TerminalStatus; previousName: string }
  | { kind: 'conflict'; runtimeStatus: string; name: string }
  | { kind: 'useExisting'; runtimeStatus: string };

/**
 * - no instance → start;
 * - a terminal instance (any orchestrator name: the backend replaces any terminal instance under the ID) → restart,
 *   naming the orchestrator it replaces;
 * - an active instance (or an unknown status, treated as active) → conflict, or useExisting when asked for and the
 *   instance runs the same orchestrator.
 */
export function decideStart(
  existing: ExistingInstance | undefined,
  name: string,
  onConflict: OnConflict,
): StartDecision {
  if (existing === undefined) {
    return { kind: 'start' };
  }
  if (isTerminalStatus(existing.runtimeStatus)) {
    return { kind: 'restart', previousStatus: existing.runtimeStatus, previousName: existing.name };
  }
  if (onConflict === 'useExisting' && existing.name === name) {
    return { kind: 'useExisting', runtimeStatus: existing.runtimeStatus };
  }
  return { kind: 'conflict', runtimeStatus: existing.runtimeStatus, name: existing.name };
}
