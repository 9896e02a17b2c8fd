/**
 * Names and texts the extension produces: entity scheduler ids, stored reasons, unknown-function messages.
 */
import type { RegisteredFunction } from '../contracts';

export function parseSchedulerId(schedulerId: string): { name: string; key: string } | undefined {
  const match = /^@([^@]*)@(.*)$/s.exec(schedulerId);
  return match === null ? undefined : { name: match[1] ?? '', key: match[2] ?? '' };
}

export function entitySchedulerId(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

/** A reason or message stored as JSON text: JSON stays JSON, anything else becomes a JSON string. */
export function toJsonText(text: string | null): string | null {
  if (text === null) return null;
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

export function unknownFunctionMessage(name: string, kind: string, known: readonly RegisteredFunction[]): string {
  const list = known.map((f) => `'${f.name}'`).join(', ');
  return (
    `The function '${name}' doesn't exist, is disabled, or is not an ${kind} function. ` +
    `Additional info: ${list === '' ? `No ${kind} functions are currently registered!` : `The following are the known ${kind} functions: ${list}.`}`
  );
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
