/**
 * The start token: how HttpStartSingle learns whether *its* `startNew` is the execution that runs.
 *
 * On the Azure Storage provider two concurrent starts of one ID can both be accepted (the duplicate check is a read
 * and the losing instance-row write is swallowed); only the execution whose start message matches the instance row
 * runs. So every start carries a fresh token in its input, and after `startNew` the handler reads the instance back:
 * the start is ours only if the running execution carries our token.
 *
 * Where it lives: one reserved property of the orchestration input, {@link START_TOKEN_FIELD}. Users never send it
 * (the catalog refuses unknown properties), orchestrators never see it ({@link singletonInput} strips it before their
 * model reads the input) and carry it into every `continueAsNew` generation, so the winner is recognised even after it
 * moved on. It never enters custom status or output. The app's GET strips it; the raw webhook status shows it.
 */
import type { OrchestrationContext } from 'durable-functions';

export const START_TOKEN_FIELD = '$startToken';

/** The input a start sends: the caller's object with the token added (a non-object input is wrapped as no object is). */
export function withStartToken(input: unknown, token: string): Record<string, unknown> {
  const base = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
  return { ...(base as Record<string, unknown>), [START_TOKEN_FIELD]: token };
}

/** The token an instance's input carries, if any. */
export function startTokenOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const token = (input as Record<string, unknown>)[START_TOKEN_FIELD];
  return typeof token === 'string' ? token : undefined;
}

/** The input without the token, as users and orchestrator models see it. */
export function withoutStartToken(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || !(START_TOKEN_FIELD in input)) {
    return input;
  }
  const { [START_TOKEN_FIELD]: _token, ...rest } = input as Record<string, unknown>;
  return rest;
}

/**
 * An orchestrator's view of its input: `input` without the token, and `carry(next)` — the next generation's input
 * with the token kept, for `continueAsNew`.
 */
export function singletonInput(context: OrchestrationContext): {
  input: unknown;
  carry: <T extends object>(next: T) => T;
} {
  const raw = context.df.getInput();
  const token = startTokenOf(raw);
  return {
    input: withoutStartToken(raw),
    carry: <T extends object>(next: T): T => (token === undefined ? next : { ...next, [START_TOKEN_FIELD]: token }),
  };
}
