/**
 * The app's orchestrators as the HTTP boundary sees them: which names exist, how each one's start input is
 * validated, and which events it waits for with what payload. Orchestrator modules type their name constant as
 * `OrchestratorName`, so the two cannot drift apart.
 */
import { COUNTER_EVENT_PAYLOADS, COUNTER_NAME, parseCounterInput } from './counterModel';
import { STOP_EVENT } from './eternal';
import { invalidInput } from './inputFields';
import { HISTORY_JANITOR_NAME, parseHistoryJanitorInput } from './historyJanitorModel';
import { PERIODIC_JOB_NAME, parsePeriodicJobInput } from './periodicJobModel';
import type { ParsedBody } from './requestBody';
import { UserError } from './errors';

/** What an event's payload must be. */
export interface EventPayloadRule {
  expected: string;
  accepts(payload: unknown): boolean;
}

interface OrchestratorEntry {
  /** Validates the request body and returns the input to start the orchestration with (defaults applied). */
  parseInput(body: ParsedBody): unknown;
  /** The events the orchestrator waits for; any other name would never be consumed. */
  events: Readonly<Record<string, EventPayloadRule>>;
}

const STOP_ONLY = { [STOP_EVENT]: { expected: 'any payload (ignored)', accepts: () => true } };

const catalog = {
  [COUNTER_NAME]: { parseInput: parseCounterInput, events: COUNTER_EVENT_PAYLOADS },
  [PERIODIC_JOB_NAME]: { parseInput: parsePeriodicJobInput, events: STOP_ONLY },
  [HISTORY_JANITOR_NAME]: { parseInput: parseHistoryJanitorInput, events: STOP_ONLY },
} as const satisfies Record<string, OrchestratorEntry>;

export type OrchestratorName = keyof typeof catalog;

export const KNOWN_ORCHESTRATORS: readonly OrchestratorName[] = Object.keys(catalog) as OrchestratorName[];

export function isOrchestratorName(name: string): name is OrchestratorName {
  return Object.prototype.hasOwnProperty.call(catalog, name);
}

/** The route's `functionName` as a known orchestrator, else a 404 listing the known ones. */
export function parseOrchestratorName(raw: string | undefined): OrchestratorName {
  const name = raw ?? '';
  if (!isOrchestratorName(name)) {
    throw new UserError(
      'unknownOrchestrator',
      `Unknown orchestrator '${name}'. Known orchestrators: ${KNOWN_ORCHESTRATORS.join(', ')}.`,
      404,
      { knownOrchestrators: KNOWN_ORCHESTRATORS },
    );
  }
  return name;
}

export function parseStartInput(name: OrchestratorName, body: ParsedBody): unknown {
  return catalog[name].parseInput(body);
}

function eventsOf(name: OrchestratorName): Readonly<Record<string, EventPayloadRule>> {
  return catalog[name].events;
}

/** The route's `eventName` as one `name` waits for, else a 404 listing the ones it does. */
export function parseEventName(name: OrchestratorName, raw: string | undefined): string {
  const eventName = raw ?? '';
  const events = eventsOf(name);
  if (!Object.prototype.hasOwnProperty.call(events, eventName)) {
    const knownEvents = Object.keys(events);
    throw new UserError(
      'unknownEvent',
      `Unknown event '${eventName}' for ${name}: it waits only for ${knownEvents.join(', ')}.`,
      404,
      { eventName, knownEvents },
    );
  }
  return eventName;
}

/** The event's payload (null when the body is empty) when the orchestrator accepts it, else a 400. */
export function parseEventPayload(name: OrchestratorName, eventName: string, body: ParsedBody): unknown {
  const payload = body.present ? body.value : null;
  const rule = eventsOf(name)[eventName];
  if (rule !== undefined && !rule.accepts(payload)) {
    throw invalidInput(`${name} event '${eventName}'`, 'payload', rule.expected, payload);
  }
  return payload;
}
