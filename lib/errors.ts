/**
 * The app's error taxonomy. User errors are the caller's fault (bad input) and map to a 4xx answer; system errors
 * are ours or the backend's and are the only ones sent to telemetry with full detail.
 */

/** Every machine code the app answers with (README lists them). */
export const ERROR_CODES = [
  'unknownOrchestrator',
  'invalidInstanceId',
  'invalidJson',
  'payloadTooLarge',
  'unsupportedMediaType',
  'invalidInput',
  'invalidQuery',
  'instanceNotFound',
  'wrongOrchestrator',
  'instanceSuspended',
  'instanceExists',
  'unknownEvent',
  'instanceNotRunning',
  'backendUnavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class: every error the app raises on purpose carries a machine code and a user/system flag. */
export abstract class AppError extends Error {
  abstract readonly isUserError: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the caller; `status` is the HTTP status to answer with, `details` extra JSON fields. */
export class UserError extends AppError {
  readonly isUserError = true;

  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code, message);
  }
}

/** A failure of the durable backend or of the app itself; safe to retry later. */
export class SystemError extends AppError {
  readonly isUserError = false;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Turns anything thrown into an `Error` (JavaScript allows throwing strings, objects, undefined). */
export function ensureError(err: unknown): Error {
  if (err instanceof Error) {
    return err;
  }
  let text: string;
  try {
    text = typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
  } catch {
    text = String(err);
  }
  return new Error(text);
}

/** Short description of a received value for error messages ("string", "array", "number 3.5"...). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return typeof value;
}

/** The machine code of any error: its own for app errors, `internal` for anything unexpected. */
export function errorCode(err: unknown): ErrorCode {
  return err instanceof AppError ? err.code : 'internal';
}

/**
 * A short, user-facing line for a failed activity or sub-orchestration, fit for custom status. durable-functions
 * builds the error as `Reason + " \n " + Details`, and Details is the serialised exception with its stack and file
 * paths: it stays out of status that anyone with the status URL can read (and that is carried into every generation).
 */
export function failureSummary(err: unknown): string {
  const message = ensureError(err).message;
  const cut = message.indexOf(' \n ');
  return (cut === -1 ? message : message.slice(0, cut)).trim();
}
