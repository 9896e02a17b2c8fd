/**
 * Counter: input, state and the pure event reducer. The orchestrator in `orchestrators/Counter.ts` only waits for
 * events and applies them with `applyCounterEvent`.
 */
import { describeValue } from './errors';
import { asRecord, inputObject, invalidInput } from './inputFields';
import type { ParsedBody } from './requestBody';

export const COUNTER_NAME = 'Counter';

/** Event names in the order they are applied when several arrive together; `stop` is always last. */
export const COUNTER_EVENTS = ['incr', 'decr', 'set', 'reset', 'stop'] as const;
export type CounterEventName = (typeof COUNTER_EVENTS)[number];

export interface CounterInput {
  value: number;
}

export interface CounterState {
  value: number;
  /** Why the last rejected event was rejected; null once a later event was applied. */
  lastError: string | null;
}

/** Custom status: `{ value }`, plus `lastError` while the last event was rejected. */
export type CounterStatus = { value: number; lastError?: string };

export interface CounterFinalState extends CounterState {
  stoppedAt: string;
}

/** HTTP boundary: `{ value?: finite number }`, default 0. */
export function parseCounterInput(body: ParsedBody): CounterInput {
  const record = inputObject(body, COUNTER_NAME, ['value']);
  const value = record.value;
  if (value === undefined) {
    return { value: 0 };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidInput(COUNTER_NAME, 'value', 'a finite number', value);
  }
  return { value };
}

/** Orchestrator side: the input or the carried-over state, defensively (anything malformed → value 0). */
export function toCounterState(raw: unknown): CounterState {
  const record = asRecord(raw);
  const value = typeof record.value === 'number' && Number.isFinite(record.value) ? record.value : 0;
  const lastError = typeof record.lastError === 'string' ? record.lastError : null;
  return { value, lastError };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

const optionalAmount = (p: unknown): boolean => p === undefined || p === null || isFiniteNumber(p);
const anything = (): boolean => true;

/** The payload each event takes: the orchestrator and the app's events route apply the same rule. */
export const COUNTER_EVENT_PAYLOADS: Record<
  CounterEventName,
  { expected: string; accepts(payload: unknown): boolean }
> = {
  incr: { expected: 'no payload or a finite number', accepts: optionalAmount },
  decr: { expected: 'no payload or a finite number', accepts: optionalAmount },
  set: { expected: 'a finite number', accepts: isFiniteNumber },
  reset: { expected: 'any payload (ignored)', accepts: anything },
  stop: { expected: 'any payload (ignored)', accepts: anything },
};

function rejected(state: CounterState, name: CounterEventName, payload: unknown): CounterState {
  const expected = COUNTER_EVENT_PAYLOADS[name].expected;
  return { ...state, lastError: `Event '${name}' ignored: expected ${expected}, received ${describeValue(payload)}.` };
}

/**
 * Applies one event. A bad payload, or a result that is not a finite number, leaves the value unchanged and records
 * why in `lastError`. `stop` is a no-op here.
 */
export function applyCounterEvent(state: CounterState, name: CounterEventName, payload: unknown): CounterState {
  if (!COUNTER_EVENT_PAYLOADS[name].accepts(payload)) {
    return rejected(state, name, payload);
  }
  switch (name) {
    case 'incr':
    case 'decr': {
      const amount = isFiniteNumber(payload) ? payload : 1;
      const value = state.value + (name === 'incr' ? amount : -amount);
      if (!Number.isFinite(value)) {
        // Infinity would be carried to the next generation as JSON null, i.e. reset to 0.
        return {
          ...state,
          lastError: `Event '${name}' ignored: ${state.value} ${name === 'incr' ? '+' : '-'} ${amount} is beyond the range of a number.`,
        };
      }
      return { value, lastError: null };
    }
    case 'set':
      return isFiniteNumber(payload) ? { value: payload, lastError: null } : rejected(state, name, payload);
    case 'reset':
      return { value: 0, lastError: null };
    case 'stop':
      return state;
  }
}

export function counterStatus(state: CounterState): CounterStatus {
  return state.lastError === null ? { value: state.value } : { value: state.value, lastError: state.lastError };
}
