/**
 * Turns any error caught in an HTTP function into a JSON answer: user errors → their 4xx with the message; backend
 * failures → 503 with Retry-After; anything else (our bug or misconfiguration) → 500 JSON. Only non-user errors reach
 * telemetry.
 */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { SystemError, UserError, ensureError } from './errors';
import { trackSystemError } from './telemetry';

export const BACKEND_RETRY_AFTER_SECONDS = 5;

export function userErrorResponse(error: UserError): HttpResponseInit {
  return { status: error.status, jsonBody: { error: error.message, code: error.code, ...error.details } };
}

export function errorResponse(
  err: unknown,
  context: InvocationContext,
  properties: Record<string, string>,
): HttpResponseInit {
  const error = ensureError(err);
  if (error instanceof UserError) {
    return userErrorResponse(error);
  }
  trackSystemError(error, properties, context.traceContext);
  // The stack names the failure and where; the cause stays out of the log, it may quote backend data (inputs).
  context.error(error.stack ?? `${error.name}: ${error.message}`);
  if (error instanceof SystemError && error.code === 'backendUnavailable') {
    return {
      status: 503,
      headers: { 'Retry-After': String(BACKEND_RETRY_AFTER_SECONDS) },
      jsonBody: {
        error: 'The durable backend is unavailable or failed; retry later.',
        code: error.code,
        ...properties,
      },
    };
  }
  // Our own bug or misconfiguration (e.g. a missing binding): retrying will not help, but the answer is still JSON.
  return { status: 500, jsonBody: { error: 'Internal error.', code: 'internal', ...properties } };
}
