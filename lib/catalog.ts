/**
 * The app's orchestrators as the HTTP boundary sees them: which names exist, and how each one's start input is
 * validated. Orchestrator modules type their name constant as `OrchestratorName`, so the two cannot drift apart.
 */
import { COUNTER_NAME, parseCounterInput } from './counterModel';
import { HISTORY_JANITOR_NAME, parseHistoryJanitorInput } from './historyJanitorModel';
import { PERIODIC_JOB_NAME, parsePeriodicJobInput } from './periodicJobModel';
import type { ParsedBody } from './requestBody';
import { UserError } from './errors';

interface OrchestratorEntry {
  /** Validates the request body and returns the input to start the orchestration with (defaults applied). */
  parseInput(body: ParsedBody): unknown;
}

const catalog = {
  [COUNTER_NAME]: { parseInput: parseCounterInput },
  [PERIODIC_JOB_NAME]: { parseInput: parsePeriodicJobInput },
  [HISTORY_JANITOR_NAME]: { parseInput: parseHistoryJanitorInput },
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
