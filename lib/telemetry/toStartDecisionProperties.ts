/**
 * Start decision → custom-event properties. Pure, so the mapping is tested without the SDK; the property names are
 * what dashboards and KQL queries over `customEvents` rely on, so they are part of the app's contract.
 */

import type { StartDecisionEvent } from '../telemetry';

/** Name of the custom event sent once per start decision. */
export const START_DECISION_EVENT_NAME = 'StartDecision';

export function toStartDecisionProperties(event: StartDecisionEvent): Record<string, string> {
  const common = { decision: event.decision, instanceId: event.instanceId, orchestratorName: event.name };
  // Exhaustive over the union, so a new decision kind fails to compile until its extra field is mapped.
  switch (event.decision) {
    case 'started':
      return common;
    case 'restarted':
      return { ...common, previousStatus: event.previousStatus };
    case 'conflict':
    case 'existing':
      return { ...common, runtimeStatus: event.runtimeStatus };
    case 'rejected':
      return { ...common, reason: event.reason };
  }
}
