/**
 * Orchestration runtime statuses split the way the backend's dedupe rule does (host.json
 * `overridableExistingInstanceStates: NonRunningStates`): active ones block a new start, terminal ones are replaced.
 */

export const ACTIVE_STATUSES = ['Pending', 'Running', 'ContinuedAsNew', 'Suspended'] as const;
export const TERMINAL_STATUSES = ['Completed', 'Failed', 'Terminated', 'Canceled'] as const;

export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export function isTerminalStatus(status: string): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}
