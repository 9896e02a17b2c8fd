/**
 * The one place that interprets the durable client's failures: `getStatus` throws for an unknown instance
 * (durable-functions v3, "HTTP 404"), and a refused duplicate start arrives as a generic 500 error whose details say
 * the instance "already exists".
 */
import type { DurableOrchestrationStatus, GetStatusOptions } from 'durable-functions';
import type { StatusReader } from './durableClientPort';
import { SystemError, ensureError } from './errors';

/**
 * Status options for a read that needs no input (`showInput=false`: the backend does not even load it). durable-functions
 * 3.5 writes `showInput` into its RPC URL only when the value is truthy, so a boolean `false` never reaches the
 * extension; the string `'false'` is what it sends as `showInput=false`. Its older webhook path (no RPC URL) sends
 * only booleans and then reads the input as before. `test/app/lib/durableStatus.test.ts` checks the wire.
 */
export const WITHOUT_INPUT: GetStatusOptions = { showInput: 'false' as unknown as boolean };

/** The status of an instance, or `undefined` when the backend does not know it. Other failures → `SystemError`. */
export async function getStatusOrUndefined(
  client: StatusReader,
  instanceId: string,
  options?: GetStatusOptions,
): Promise<DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId, options);
  } catch (err) {
    const error = ensureError(err);
    if (error.message.includes('HTTP 404')) {
      return undefined;
    }
    throw backendError('read the status of', instanceId, error);
  }
}

/** Where the durable client's messages start quoting what the backend sent (bodies, instance lists, inputs). */
const QUOTED_DATA_MARKERS = [' Details: ', ': Failed to construct', ' Initializer received: '];
const MAX_FAILURE_SUMMARY = 200;

/**
 * The durable client's failure message without the backend data it quotes: that data can be any instance's input or
 * the whole instance list, and the message goes to the log and telemetry. The cause keeps the full text.
 */
export function failureWithoutData(message: string): string {
  const cut = Math.min(...QUOTED_DATA_MARKERS.map((m) => message.indexOf(m)).filter((i) => i !== -1), message.length);
  const kept = message.slice(0, cut);
  return kept.length > MAX_FAILURE_SUMMARY ? `${kept.slice(0, MAX_FAILURE_SUMMARY)}…` : kept;
}

/** A `SystemError` for a failed backend call, keeping the original error as `cause`. */
export function backendError(action: string, instanceId: string, cause: unknown): SystemError {
  const error = ensureError(cause);
  if (error instanceof SystemError) {
    return error;
  }
  const summary = failureWithoutData(error.message);
  return new SystemError('backendUnavailable', `Could not ${action} instance '${instanceId}': ${summary}`, {
    cause: error,
  });
}

/**
 * The refusal of a duplicate start as durable-functions reports it: `createGenericError` of the extension's answer.
 * Extension 3.19.0 answers 409 `{"Message":"An Orchestration instance with the status Running already exists."}`
 * (observed on the reference backend); older versions answered 500 with `ExceptionType`
 * `DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException` and the same text as `ExceptionMessage`.
 */
const REFUSAL_MESSAGE = /^An Orchestration instance with the status (\w+) already exists\.$/;
const REFUSAL_TYPE = 'DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException';
const GENERIC_ERROR = /^The operation failed with an unexpected status code: (409|500)\. Details: (.*)$/s;

function refusalStatus(err: unknown): string | undefined {
  const match = GENERIC_ERROR.exec(ensureError(err).message);
  if (!match) return undefined;
  let details: unknown;
  try {
    details = JSON.parse(match[2] ?? '') as unknown;
  } catch {
    return undefined;
  }
  if (typeof details !== 'object' || details === null) return undefined;
  const body = details as Record<string, unknown>;
  const text =
    match[1] === '409' ? body.Message : body.ExceptionType === REFUSAL_TYPE ? body.ExceptionMessage : undefined;
  return typeof text === 'string' ? REFUSAL_MESSAGE.exec(text)?.[1] : undefined;
}

/** True when `startNew` was refused because an active instance with that ID exists (backend dedupe). */
export function isDuplicateStartError(err: unknown): boolean {
  return refusalStatus(err) !== undefined;
}

/** The status named in the backend's refusal ("…with the status Running already exists."), if any. */
export function statusFromDuplicateStartError(err: unknown): string | undefined {
  return refusalStatus(err);
}

/** True when raiseEvent/terminate found no instance ("No instance with ID '…' found."). */
export function isNotFoundError(err: unknown): boolean {
  const message = ensureError(err).message;
  return message.startsWith('No instance with ID') || message.includes('HTTP 404');
}
