/**
 * Telemetry seam for the app. Implemented over `applicationinsights` when APPLICATIONINSIGHTS_CONNECTION_STRING is
 * set; a no-op (no network at all) otherwise.
 */

export type StartDecisionEvent =
  | { decision: 'started'; instanceId: string; name: string }
  | { decision: 'restarted'; instanceId: string; name: string; previousStatus: string }
  | { decision: 'conflict'; instanceId: string; name: string; runtimeStatus: string }
  | { decision: 'existing'; instanceId: string; name: string; runtimeStatus: string }
  | { decision: 'rejected'; instanceId: string; name: string; reason: string };

/** One custom event per start decision (event name `StartDecision`, properties carry the fields above). */
export function trackStartDecision(_event: StartDecisionEvent): void {
  // implemented by the telemetry module
}

/** System errors only (never a caller's bad input). */
export function trackSystemError(_error: Error, _properties?: Record<string, string>): void {
  // implemented by the telemetry module
}
