/**
 * Telemetry seam for the app: one `StartDecision` custom event per singleton start decision, and exceptions for
 * system errors only (a caller's bad input is a decision, not an exception).
 *
 * With APPLICATIONINSIGHTS_CONNECTION_STRING set, events go to Application Insights through `applicationinsights`
 * (v3), created lazily on first use. With it unset the calls are no-ops: the SDK is never even loaded, so there is no
 * network traffic, no timers and no start-up cost.
 *
 * The SDK runs as an isolated `TelemetryClient` (`useGlobalProviders: false`) rather than `setup().start()` /
 * `useAzureMonitor()`: the global distro patches `http`, the console and the process's exception handlers and starts
 * Live Metrics and performance counters, all of which would add traffic the app does not need (the Functions host
 * already reports requests and dependencies). The isolated client sends only what is tracked here.
 *
 * Each item carries the invocation's operation (from `InvocationContext.traceContext`), so it joins the host's
 * request, and the app's cloud role name. The client samples nothing (its sampling ratio is 1): host.json
 * `samplingSettings` apply to the Functions host's own telemetry, not to what this client sends.
 *
 * Setting the client up leaves `process.env` as it found it: the SDK reads the statsbeat switch only from the
 * environment and sets variables of its own while it loads, so both happen inside {@link withScopedEnvironment}.
 */

import type { TraceContext } from '@azure/functions';
import type * as ApplicationInsights from 'applicationinsights';
import type * as OpenTelemetryResources from '@opentelemetry/resources';
import { cloudRoleName } from './telemetry/cloudRole';
import { createOperationStamp, parseTraceParent } from './telemetry/operationContext';
import type { OperationStamp } from './telemetry/operationContext';
import { withScopedEnvironment } from './telemetry/scopedEnvironment';
import { START_DECISION_EVENT_NAME, toStartDecisionProperties } from './telemetry/toStartDecisionProperties';
import { toSystemErrorProperties } from './telemetry/toSystemErrorProperties';

export { START_DECISION_EVENT_NAME } from './telemetry/toStartDecisionProperties';

export type StartDecisionEvent =
  | { decision: 'started'; instanceId: string; name: string }
  | { decision: 'restarted'; instanceId: string; name: string; previousStatus: string }
  | { decision: 'conflict'; instanceId: string; name: string; runtimeStatus: string }
  | { decision: 'existing'; instanceId: string; name: string; runtimeStatus: string }
  | { decision: 'rejected'; instanceId: string; name: string; reason: string };

interface Client {
  telemetry: ApplicationInsights.TelemetryClient;
  stamp: OperationStamp;
}

/** `undefined` until the first call decides; `null` when telemetry is off (no connection string, or setup failed). */
let client: Client | null | undefined;
let failureReported = false;

/**
 * One custom event per start decision (event name `StartDecision`, properties carry the fields above), in the
 * operation of `traceContext` (the invocation's).
 */
export function trackStartDecision(event: StartDecisionEvent, traceContext?: TraceContext): void {
  track(traceContext, (telemetry) =>
    telemetry.trackEvent({ name: START_DECISION_EVENT_NAME, properties: toStartDecisionProperties(event) }),
  );
}

/** System errors only (never a caller's bad input), in the operation of `traceContext` (the invocation's). */
export function trackSystemError(error: Error, properties?: Record<string, string>, traceContext?: TraceContext): void {
  track(traceContext, (telemetry) =>
    telemetry.trackException({ exception: error, properties: toSystemErrorProperties(error, properties) }),
  );
}

function track(traceContext: TraceContext | undefined, send: (telemetry: ApplicationInsights.TelemetryClient) => void) {
  const current = getClient();
  if (current === null) return;
  try {
    current.stamp.during(parseTraceParent(traceContext?.traceParent), () => send(current.telemetry));
  } catch (err) {
    reportTelemetryFailure(err);
  }
}

/**
 * Sends what the exporter has batched. Call before a process exits (the exporter batches for a few seconds);
 * resolves at once when telemetry is off, and never rejects: telemetry must not fail the caller.
 */
export async function flushTelemetry(): Promise<void> {
  if (!client) return;
  try {
    await client.telemetry.flush();
  } catch (err) {
    reportTelemetryFailure(err);
  }
}

/** Flushes and stops the client (its timers included) and forgets the decision, so the next call reads the env again. */
export async function resetTelemetryForTests(): Promise<void> {
  const previous = client;
  client = undefined;
  failureReported = false;
  if (previous) await previous.telemetry.shutdown().catch(reportTelemetryFailure);
}

function getClient(): Client | null {
  if (client === undefined) client = createClient(process.env.APPLICATIONINSIGHTS_CONNECTION_STRING);
  return client;
}

function createClient(connectionString: string | undefined): Client | null {
  if (connectionString === undefined || connectionString.trim() === '') return null;
  try {
    // Statsbeat is the SDK's own usage reporting to a fixed Microsoft endpoint, not the app's telemetry; off unless
    // the operator chose otherwise. The exporters read the switch when the client initialises.
    return withScopedEnvironment({ APPLICATION_INSIGHTS_NO_STATSBEAT: 'true' }, () =>
      initialisedClient(connectionString, cloudRoleName(process.env)),
    );
  } catch (err) {
    reportTelemetryFailure(err);
    return null;
  }
}

function initialisedClient(connectionString: string, roleName: string | undefined): Client {
  // Loaded here, not imported at the top, so an unset connection string never loads the SDK at all.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('applicationinsights') as typeof ApplicationInsights;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resources = require('@opentelemetry/resources') as typeof OpenTelemetryResources;
  const stamp = createOperationStamp();
  const telemetry = new sdk.TelemetryClient(connectionString, { useGlobalProviders: false });
  const resource =
    roleName === undefined
      ? resources.defaultResource()
      : resources.defaultResource().merge(resources.resourceFromAttributes({ 'service.name': roleName }));
  const options = telemetry.config.azureMonitorOpenTelemetryOptions ?? {};
  telemetry.config.azureMonitorOpenTelemetryOptions = {
    ...options,
    resource,
    logRecordProcessors: [...(options.logRecordProcessors ?? []), stamp.processor],
  };
  // The isolated client starts none of these, but the intent is stated so a switch to the global distro keeps it.
  telemetry.config.enableSendLiveMetrics = false;
  telemetry.config.enableAutoCollectPerformance = false;
  telemetry.config.enableAutoCollectHeartbeat = false;
  telemetry.initialize();
  return { telemetry, stamp };
}

/** Telemetry failures are reported once on the console and otherwise swallowed: a start must never fail for them. */
function reportTelemetryFailure(err: unknown): void {
  if (failureReported) return;
  failureReported = true;
  console.warn(`Application Insights telemetry failed: ${err instanceof Error ? err.message : String(err)}`);
}
