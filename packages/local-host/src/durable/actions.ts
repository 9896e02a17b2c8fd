/**
 * The orchestrator's answer (`OrchestratorState`) and its actions, parsed at the boundary into typed values.
 *
 * `flattenActions` walks the cumulative action list depth-first the way durable-functions assigns sequence ids:
 * every atomic task consumes one id in scheduling order, `WaitForExternalEvent` and `ContinueAsNew` consume none.
 */

import { ActionParseError } from '../errors';

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient: number;
  maxRetryIntervalInMilliseconds: number;
  retryTimeoutInMilliseconds: number;
}

/** An atomic action, normalised. `input` is the JSON text the host stores and delivers (undefined when absent). */
export type AtomicAction =
  | { kind: 'activity'; name: string; input: string | undefined; retry?: RetryOptions }
  | {
      kind: 'subOrchestration';
      name: string;
      instanceId: string | undefined;
      input: string | undefined;
      retry?: RetryOptions;
    }
  | { kind: 'timer'; fireAt: number; isCanceled: boolean }
  | { kind: 'waitForEvent'; name: string }
  | { kind: 'callEntity'; schedulerId: string; operation: string; input: string | undefined }
  | { kind: 'signalEntity'; schedulerId: string; operation: string; input: string | undefined }
  | { kind: 'unsupported'; actionType: number; description: string };

export interface OrchestratorState {
  isDone: boolean;
  actions: AtomicAction[];
  /** JSON text of the `continueAsNew` input when the orchestrator continues as new. */
  continueAsNew?: { input: string | undefined };
  /** JSON text of the output (undefined when the orchestrator returned nothing). */
  output?: string;
  error?: string;
  /** JSON text of the custom status when set. */
  customStatus?: string;
}

export { ActionParseError };

const MAX_DURATION_MS = 8.64e15;

/** How the host stores an input the SDK already stringified for strings (`Utils.processInput`) but not for others. */
function inputText(value: unknown, alreadyJsonForStrings: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && alreadyJsonForStrings) return value;
  return JSON.stringify(value);
}

function parseRetryOptions(value: unknown): RetryOptions {
  if (typeof value !== 'object' || value === null) throw new ActionParseError('retryOptions must be an object');
  const v = value as Record<string, unknown>;
  const num = (key: string, fallback: number): number => {
    const n = v[key];
    return typeof n === 'number' && Number.isFinite(n) ? n : fallback;
  };
  return {
    firstRetryIntervalInMilliseconds: num('firstRetryIntervalInMilliseconds', 0),
    maxNumberOfAttempts: num('maxNumberOfAttempts', 1),
    backoffCoefficient: num('backoffCoefficient', 1),
    // The extension replaces DTFx's default maximum retry interval with 6 days.
    maxRetryIntervalInMilliseconds: num('maxRetryIntervalInMilliseconds', 6 * 24 * 3600 * 1000),
    retryTimeoutInMilliseconds: num('retryTimeoutInMilliseconds', MAX_DURATION_MS),
  };
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new ActionParseError(`${what} must be a string`);
  return v;
};

/** Depth-first list of atomic actions plus the trailing continue-as-new, if any. */
export function flattenActions(raw: readonly unknown[]): {
  actions: AtomicAction[];
  continueAsNew?: { input: string | undefined };
} {
  const actions: AtomicAction[] = [];
  let continueAsNew: { input: string | undefined } | undefined;
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) throw new ActionParseError('action must be an object');
    const a = value as Record<string, unknown>;
    switch (a.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        actions.push({
          kind: 'activity',
          name: str(a.functionName, 'functionName'),
          input: inputText(a.input, true),
          ...(a.actionType === ActionType.CallActivityWithRetry ? { retry: parseRetryOptions(a.retryOptions) } : {}),
        });
        return;
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry:
        actions.push({
          kind: 'subOrchestration',
          name: str(a.functionName, 'functionName'),
          instanceId: typeof a.instanceId === 'string' && a.instanceId !== '' ? a.instanceId : undefined,
          input: inputText(a.input, false),
          ...(a.actionType === ActionType.CallSubOrchestratorWithRetry
            ? { retry: parseRetryOptions(a.retryOptions) }
            : {}),
        });
        return;
      case ActionType.ContinueAsNew:
        continueAsNew = { input: inputText(a.input, true) };
        return;
      case ActionType.CreateTimer: {
        const fireAt = Date.parse(str(a.fireAt, 'fireAt'));
        if (Number.isNaN(fireAt)) throw new ActionParseError('fireAt must be an ISO date');
        actions.push({ kind: 'timer', fireAt, isCanceled: a.isCanceled === true });
        return;
      }
      case ActionType.WaitForExternalEvent:
        actions.push({ kind: 'waitForEvent', name: str(a.externalEventName, 'externalEventName') });
        return;
      case ActionType.CallEntity:
      case ActionType.SignalEntity:
        actions.push({
          kind: a.actionType === ActionType.CallEntity ? 'callEntity' : 'signalEntity',
          schedulerId: str(a.instanceId, 'instanceId'),
          operation: str(a.operation, 'operation'),
          input: a.input === undefined ? undefined : JSON.stringify(a.input),
        });
        return;
      case ActionType.WhenAny:
      case ActionType.WhenAll: {
        const children = a.compoundActions;
        if (!Array.isArray(children)) throw new ActionParseError('compoundActions must be an array');
        for (const child of children) visit(child);
        return;
      }
      case ActionType.CallHttp:
        actions.push({ kind: 'unsupported', actionType: ActionType.CallHttp, description: 'callHttp' });
        return;
      case ActionType.LockEntities:
      case ActionType.ReleaseEntities:
        actions.push({
          kind: 'unsupported',
          actionType: a.actionType,
          description: 'entity locks (critical sections)',
        });
        return;
      default:
        throw new ActionParseError(`unknown actionType ${String(a.actionType)}`);
    }
  };
  for (const action of raw) visit(action);
  return continueAsNew === undefined ? { actions } : { actions, continueAsNew };
}

/** Parses the orchestrator's returned state (schema ≥ V2: `actions[0]` holds every action; V1: one array each). */
export function parseOrchestratorState(value: unknown): OrchestratorState {
  if (typeof value !== 'object' || value === null) throw new ActionParseError('OrchestratorState must be an object');
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.actions)) throw new ActionParseError('OrchestratorState.actions must be an array');
  const raw: unknown[] = [];
  for (const group of v.actions) {
    if (!Array.isArray(group)) throw new ActionParseError('OrchestratorState.actions must be an array of arrays');
    raw.push(...(group as unknown[]));
  }
  const { actions, continueAsNew } = flattenActions(raw);
  const state: OrchestratorState = { isDone: v.isDone === true, actions };
  if (continueAsNew !== undefined) state.continueAsNew = continueAsNew;
  if ('output' in v && v.output !== undefined) state.output = JSON.stringify(v.output);
  if (typeof v.error === 'string') state.error = v.error;
  if (v.customStatus !== undefined && v.customStatus !== null) state.customStatus = JSON.stringify(v.customStatus);
  return state;
}

/** A stable description used to match a replayed action against the one recorded at its sequence id. */
export function actionSignature(action: AtomicAction): string {
  switch (action.kind) {
    case 'activity':
      return `activity '${action.name}'`;
    case 'subOrchestration':
      return `sub-orchestration '${action.name}'`;
    case 'timer':
      return 'timer';
    case 'waitForEvent':
      return `wait for external event '${action.name}'`;
    case 'callEntity':
      return `entity call '${action.schedulerId}' operation '${action.operation}'`;
    case 'signalEntity':
      return `entity signal '${action.schedulerId}' operation '${action.operation}'`;
    case 'unsupported':
      return action.description;
  }
}

/** Whether the action takes a sequence id. */
export function consumesSequenceId(action: AtomicAction): boolean {
  return action.kind !== 'waitForEvent';
}
