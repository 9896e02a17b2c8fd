/**
 * Small converters for orchestration inputs at the HTTP boundary: each failure is a 400 that names the field, what
 * was expected and what was received.
 */
import { UserError, describeValue } from './errors';
import type { ParsedBody } from './requestBody';

export function invalidInput(orchestrator: string, field: string, expected: string, received: unknown): UserError {
  const receivedText = describeValue(received);
  return new UserError(
    'invalidInput',
    `Invalid input for ${orchestrator}: '${field}' must be ${expected} (received ${receivedText}).`,
    400,
    { field, expected, received: receivedText },
  );
}

/** The body as a plain object ({} when absent or null); unknown properties are refused so typos do not pass. */
export function inputObject(
  body: ParsedBody,
  orchestrator: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (!body.present || body.value === null) {
    return {};
  }
  const value = body.value;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidInput(orchestrator, '(body)', 'a JSON object', value);
  }
  const record = value as Record<string, unknown>;
  const unknownField = Object.keys(record).find((key) => !allowed.includes(key));
  if (unknownField !== undefined) {
    const expected = allowed.length > 0 ? `one of ${allowed.join(', ')}` : 'absent (no properties allowed)';
    throw new UserError(
      'invalidInput',
      `Invalid input for ${orchestrator}: unknown property '${unknownField}' (expected ${expected}).`,
      400,
      { field: unknownField, expected },
    );
  }
  return record;
}

export interface IntegerRange {
  min: number;
  max: number;
  defaultValue: number;
}

export function integerField(
  record: Record<string, unknown>,
  field: string,
  orchestrator: string,
  range: IntegerRange,
): number {
  const value = record[field];
  if (value === undefined) {
    return range.defaultValue;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidInput(orchestrator, field, `an integer from ${range.min} to ${range.max}`, value);
  }
  return value;
}

/** Lenient reader for orchestrator-side parsing: a value in range, else the default. */
export function integerOrDefault(value: unknown, range: IntegerRange): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= range.min && value <= range.max
    ? value
    : range.defaultValue;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
