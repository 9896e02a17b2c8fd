/**
 * The local host's errors: every one is a {@link LocalHostError} whose `code` comes from the closed set
 * {@link LOCAL_HOST_ERROR_CODES}, which also names the class each code belongs to. That is what lets an error cross the
 * channel between the host process and the programmatic API: {@link serializeError} keeps code, message and details,
 * {@link deserializeError} builds the same class with the same code again; an error without a code arrives as the
 * generic `HOST_ERROR`.
 */

/** The classes of the package's errors, by name. */
export type LocalHostErrorClass =
  | 'LocalHostError'
  | 'HostStartError'
  | 'AppLoadError'
  | 'ReferenceBackendError'
  | 'CliUsageError'
  | 'RouteTemplateError'
  | 'ActionParseError'
  | 'HttpError';

/** Every error code of the package, with the class whose errors carry it. */
export const LOCAL_HOST_ERROR_CODES = {
  // The programmatic API (`createLocalHost`, `LocalHost`).
  /** The host did not start, for a reason without a code of its own. */
  START_FAILED: 'LocalHostError',
  /** The host did not listen within `startTimeoutMs`. */
  START_TIMEOUT: 'LocalHostError',
  /** The host process ended (or was not running) while a request was pending. */
  HOST_EXITED: 'LocalHostError',
  /** The host process failed or could not be reached; also every error of the host process without a code. */
  HOST_ERROR: 'LocalHostError',
  /** The host was disposed. */
  DISPOSED: 'LocalHostError',
  /** `advanceTime` on a host without the manual clock. */
  NOT_MANUAL_CLOCK: 'LocalHostError',
  /** `waitForStatus` saw no status that satisfied its predicate in time. */
  STATUS_TIMEOUT: 'LocalHostError',
  /** The package is not built (`dist/child.js` is missing). */
  BUILD_MISSING: 'LocalHostError',
  // The front door's refusals while reading a request.
  /** A request body above the limit. */
  BODY_TOO_LARGE: 'LocalHostError',
  /** No room to buffer one more request body. */
  HOST_BUSY: 'LocalHostError',

  // Starting the host (`startHost`).
  /** The app folder does not exist. */
  APP_DIR_MISSING: 'HostStartError',
  /** host.json is not a JSON object. */
  HOST_JSON_INVALID: 'HostStartError',
  /** host.json's durableTask section refers to an app setting (`%Name%`) that is not set. */
  APP_SETTING_MISSING: 'HostStartError',
  /** The server cannot listen on the host and port. */
  LISTEN_FAILED: 'HostStartError',

  // Loading the app.
  /** package.json is missing, not JSON, or has no `main`. */
  APP_PACKAGE_INVALID: 'AppLoadError',
  /** `main` matches no file. */
  APP_ENTRY_MISSING: 'AppLoadError',
  /** An entry file threw while it was loaded. */
  APP_ENTRY_FAILED: 'AppLoadError',
  /** The app asks for something the local host does not do (HTTP streaming). */
  APP_UNSUPPORTED: 'AppLoadError',

  // The `azurite` backend.
  /** No `dotnet` on PATH. */
  DOTNET_MISSING: 'ReferenceBackendError',
  /** The `azurite` npm package is not installed. */
  AZURITE_MISSING: 'ReferenceBackendError',
  /** Azurite did not start. */
  AZURITE_START_FAILED: 'ReferenceBackendError',
  /** Building the .NET reference host failed (or waiting for another build timed out). */
  REFERENCE_BUILD_FAILED: 'ReferenceBackendError',
  /** The .NET reference host did not start, or its extension offers no local RPC endpoint. */
  REFERENCE_START_FAILED: 'ReferenceBackendError',
  /** The `azurite` backend was asked for the manual clock. */
  REFERENCE_REAL_CLOCK_ONLY: 'ReferenceBackendError',

  // The CLI.
  /** A flag or variable of `durable-local-host` is wrong. */
  CLI_USAGE: 'CliUsageError',

  // HTTP route templates of the app's functions.
  /** A route template cannot be read. */
  ROUTE_TEMPLATE_INVALID: 'RouteTemplateError',

  // The worker's answers to an orchestration episode.
  /** The `OrchestratorState` an orchestrator returned cannot be read. */
  ACTION_INVALID: 'ActionParseError',

  // The durable management API's refusals (answered with the extension's status and body).
  /** No management operation has this method and path (404). */
  OPERATION_NOT_FOUND: 'HttpError',
  /** An argument is wrong: the extension's `ArgumentException` (400) or a missing parameter. */
  BAD_ARGUMENT: 'HttpError',
  /** A request body is not JSON (400). */
  BAD_JSON: 'HttpError',
  /** A request body is not `application/json` where only that is accepted (400). */
  BAD_CONTENT_TYPE: 'HttpError',
  /** No such instance or entity, or nothing to purge (404). */
  NOT_FOUND: 'HttpError',
  /** An active instance with this id exists (409). */
  INSTANCE_EXISTS: 'HttpError',
  /** The instance has ended (410). */
  INSTANCE_ENDED: 'HttpError',
  /** The instance is not in a state that allows the operation (412, or 500 as the extension answers). */
  INSTANCE_STATE: 'HttpError',
  /** An operation the local host does not offer (501). */
  NOT_SUPPORTED: 'HttpError',
} as const satisfies Record<string, LocalHostErrorClass>;

/** A code of {@link LOCAL_HOST_ERROR_CODES}. */
export type LocalHostErrorCode = keyof typeof LOCAL_HOST_ERROR_CODES;

/** The codes that belong to class `C`. */
export type ErrorCodeOf<C extends LocalHostErrorClass> = {
  [K in LocalHostErrorCode]: (typeof LOCAL_HOST_ERROR_CODES)[K] extends C ? K : never;
}[LocalHostErrorCode];

/** Facts about an error as plain data (they cross the process channel as they are). */
export type ErrorDetails = Record<string, string | number | boolean | null>;

/** Options of every error: the cause, and details. */
export interface LocalHostErrorOptions extends ErrorOptions {
  details?: ErrorDetails;
}

/** Whether `value` is a code of {@link LOCAL_HOST_ERROR_CODES}. */
export function isLocalHostErrorCode(value: unknown): value is LocalHostErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LOCAL_HOST_ERROR_CODES, value);
}

/** An error of the local host: `code` says what went wrong, `details` (when present) the facts. */
export class LocalHostError extends Error {
  readonly code: LocalHostErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(code: LocalHostErrorCode, message: string, options?: LocalHostErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LocalHostError';
    this.code = code;
    this.details = options?.details;
  }
}

/** A subclass of {@link LocalHostError} named `name` whose errors carry the codes that belong to it. */
function codedErrorClass<N extends LocalHostErrorClass>(name: N) {
  return class extends LocalHostError {
    declare readonly code: ErrorCodeOf<N>;
    constructor(code: ErrorCodeOf<N>, message: string, options?: LocalHostErrorOptions) {
      super(code, message, options);
      this.name = name;
    }
  };
}

/** The host could not start: the app folder, host.json, an app setting or the port. */
export class HostStartError extends codedErrorClass('HostStartError') {}

/** The app could not be loaded as the worker loads it. */
export class AppLoadError extends codedErrorClass('AppLoadError') {}

/** The `azurite` backend (Azurite, dotnet, the .NET reference host) could not be set up. */
export class ReferenceBackendError extends codedErrorClass('ReferenceBackendError') {}

/** A wrong flag or variable of the CLI (exit code 2). */
export class CliUsageError extends LocalHostError {
  declare readonly code: 'CLI_USAGE';
  constructor(message: string, options?: LocalHostErrorOptions) {
    super('CLI_USAGE', message, options);
    this.name = 'CliUsageError';
  }
}

/** A route template that cannot be read. */
export class RouteTemplateError extends LocalHostError {
  declare readonly code: 'ROUTE_TEMPLATE_INVALID';
  constructor(template: string, problem: string, options?: ErrorOptions) {
    super('ROUTE_TEMPLATE_INVALID', `Invalid route template "${template}": ${problem}`, {
      ...options,
      details: { template, problem },
    });
    this.name = 'RouteTemplateError';
  }
}

/** An `OrchestratorState` (or one of its actions) that cannot be read. */
export class ActionParseError extends LocalHostError {
  declare readonly code: 'ACTION_INVALID';
  constructor(message: string, options?: LocalHostErrorOptions) {
    super('ACTION_INVALID', message, options);
    this.name = 'ActionParseError';
  }
}

/** How an {@link HttpError}'s body is written: as JSON, as plain text, or not at all. */
export type HttpErrorBody = { json: unknown } | { text: string } | undefined;

/**
 * A refusal of the durable management API: thrown by its handlers and written, in one place, as `status` with `body`
 * (the extension's answer for the case).
 */
export class HttpError extends LocalHostError {
  declare readonly code: ErrorCodeOf<'HttpError'>;
  readonly status: number;
  readonly body: HttpErrorBody;
  constructor(code: ErrorCodeOf<'HttpError'>, status: number, body: HttpErrorBody, message?: string) {
    const text =
      message ?? (body === undefined ? `HTTP ${status}` : 'text' in body ? body.text : JSON.stringify(body.json));
    super(code, text, {
      details: { status, ...(body === undefined ? {} : 'text' in body ? { text: body.text } : bodyDetail(body.json)) },
    });
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
  }
}

function bodyDetail(json: unknown): ErrorDetails {
  return { json: JSON.stringify(json) ?? null };
}

/** An error as it crosses the process channel. */
export interface SerializedError {
  /** A code of {@link LOCAL_HOST_ERROR_CODES}; anything else arrives as `HOST_ERROR`. */
  code: string;
  name: string;
  message: string;
  details?: ErrorDetails;
  stack?: string;
}

/** Code, message and details of `err` as plain data; an error without a code of the set gets `HOST_ERROR`. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof LocalHostError) {
    return {
      code: err.code,
      name: err.name,
      message: err.message,
      ...(err.details === undefined ? {} : { details: err.details }),
      ...(err.stack === undefined ? {} : { stack: err.stack }),
    };
  }
  if (err instanceof Error) {
    return {
      code: 'HOST_ERROR',
      name: err.name,
      message: err.message,
      ...(err.stack === undefined ? {} : { stack: err.stack }),
    };
  }
  return { code: 'HOST_ERROR', name: 'Error', message: String(err) };
}

type Build = (code: LocalHostErrorCode, message: string, options: LocalHostErrorOptions) => LocalHostError;

/** How each class is built again from a code it owns (the code table guarantees the casts). */
const BUILDERS: { [C in LocalHostErrorClass]: Build } = {
  LocalHostError: (code, message, options) => new LocalHostError(code, message, options),
  HostStartError: (code, message, options) =>
    new HostStartError(code as ErrorCodeOf<'HostStartError'>, message, options),
  AppLoadError: (code, message, options) => new AppLoadError(code as ErrorCodeOf<'AppLoadError'>, message, options),
  ReferenceBackendError: (code, message, options) =>
    new ReferenceBackendError(code as ErrorCodeOf<'ReferenceBackendError'>, message, options),
  CliUsageError: (_code, message, options) => new CliUsageError(message, options),
  RouteTemplateError: (_code, message, options) =>
    new RouteTemplateError(String(options.details?.template), String(options.details?.problem ?? message)),
  ActionParseError: (_code, message, options) => new ActionParseError(message, options),
  HttpError: (code, message, options) => {
    const status = options.details?.status;
    const json = options.details?.json;
    const text = options.details?.text;
    const body: HttpErrorBody =
      typeof text === 'string'
        ? { text }
        : typeof json === 'string'
          ? { json: JSON.parse(json) as unknown }
          : undefined;
    return new HttpError(code as ErrorCodeOf<'HttpError'>, typeof status === 'number' ? status : 500, body, message);
  },
};

/**
 * The error `serialized` describes, as the class its code belongs to, with that code, message and details; `where`
 * (e.g. "in the host process") is noted in the stack. An unknown code arrives as `HOST_ERROR`.
 */
export function deserializeError(serialized: SerializedError, where?: string): LocalHostError {
  const code: LocalHostErrorCode = isLocalHostErrorCode(serialized.code) ? serialized.code : 'HOST_ERROR';
  const options: LocalHostErrorOptions = serialized.details === undefined ? {} : { details: serialized.details };
  const error = BUILDERS[LOCAL_HOST_ERROR_CODES[code]](code, serialized.message, options);
  if (serialized.stack !== undefined) {
    error.stack = `${error.name} [${code}]: ${serialized.message}\n${where === undefined ? '' : `(${where}) `}${serialized.stack}`;
  }
  return error;
}
