/**
 * The narrow seams between the rooms of the local host.
 *
 * - `core/` + `http/` (function runtime and front door) implement {@link FunctionRuntime} and consume {@link DurableService}.
 * - `durable/` + `store/` + `clock.ts` implement {@link DurableService} and consume {@link FunctionRuntime}.
 * - `host.ts` wires them together; `api.ts` exposes them to tests.
 */

/** Typed data as the Functions host sends it over RPC (subset of `RpcTypedData` from `@azure/functions-core`). */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  int?: number | null;
  double?: number | null;
  http?: unknown;
}

export interface RpcParameterBinding {
  name: string;
  data: RpcTypedData;
}

/** One binding of a registered function, as `@azure/functions` registers it (`{...binding, direction}`). */
export interface RegisteredBinding {
  type: string;
  name: string;
  /** 'in', 'out' or 'inout'. */
  direction: string;
  [key: string]: unknown;
}

export interface RegisteredFunction {
  name: string;
  /** Bindings keyed by binding name, exactly as registered (including `$return`). */
  bindings: Record<string, RegisteredBinding>;
  /** The trigger binding (type matching /trigger$/i). */
  trigger: RegisteredBinding;
}

export type InvokeResult =
  | {
      ok: true;
      returnValue: RpcTypedData | null | undefined;
      outputData: RpcParameterBinding[];
      durationMs: number;
    }
  | {
      ok: false;
      /** The host's RpcException text: `"Result: Failure\nException: <message>\nStack: <stack>"`. */
      rpcExceptionMessage: string;
      error: { message: string; stack?: string };
      durationMs: number;
    };

/** The function runtime: registrations collected through `@azure/functions-core`, invoked through the programming model. */
export interface FunctionRuntime {
  list(): RegisteredFunction[];
  get(name: string): RegisteredFunction | undefined;
  /**
   * Drives one invocation through `getInvocationModel → getArguments → (preInvocation hooks) → invokeFunction →
   * (postInvocation hooks) → getResponse`, with `inputData` keyed by binding name. Never throws for a function failure:
   * it returns `{ ok: false }` with the host's exception text.
   */
  invoke(
    name: string,
    inputData: RpcParameterBinding[],
    triggerMetadata?: Record<string, RpcTypedData>,
    options?: InvokeLogOptions,
  ): Promise<InvokeResult>;
}

/** How an invocation shows in the log. */
export interface InvokeLogOptions {
  /** The orchestration instance (or entity) the invocation works for, named in its log lines. */
  instanceId?: string;
  /** Log a success at debug only: the caller writes its own line (the front door: one line per request). */
  quietSuccess?: boolean;
}

/** A request as the durable management API sees it (already read from the socket). */
export interface HostHttpRequest {
  method: string;
  /** Absolute URL as received (origin = the host's own origin). */
  url: URL;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
  /** Aborted when the client goes away before its answer is sent (long polls stop then). */
  signal?: AbortSignal;
}

export interface HostHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** The durable engine + durable client binding + management API, as the rest of the host sees it. */
export interface DurableService {
  /**
   * JSON text of the `durableClient` binding payload (`OrchestrationClientInputData`) for an invocation served at
   * `origin` (e.g. `http://localhost:7071`). Its `rpcBaseUrl` ends in `/durabletask/`.
   */
  clientBindingJson(origin: string): string;
  /**
   * Serves `/runtime/webhooks/durabletask/...` and `/durabletask/...` (the RPC base). Returns `undefined` for any
   * other path so the front door can go on routing.
   */
  handleHttp(req: HostHttpRequest): Promise<HostHttpResponse | undefined>;
  /** Test clock only: moves virtual time forward, firing due timers in order and running the work they release. */
  advanceTime(ms: number): Promise<void>;
  /** Resolves once no episode, activity or entity batch is running or queued (timers in the future do not count). */
  whenIdle(): Promise<void>;
  dispose(): Promise<void>;
}

/** host.json, the parts the local host honours. */
export interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: {
      hubName?: string;
      /** 'NonRunningStates' (default) or 'AnyState'. */
      overridableExistingInstanceStates?: string;
      maxConcurrentActivityFunctions?: number;
      maxConcurrentOrchestratorFunctions?: number;
      maxConcurrentEntityFunctions?: number;
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** Time source of the local host: real, or manual (tests move it with `advanceTime`). */
export interface Clock {
  readonly kind: 'real' | 'manual';
  now(): number;
  /** Calls `callback` once when `now() >= at`; returns a cancel function. */
  schedule(at: number, callback: () => void): () => void;
}

export interface DurableServiceOptions {
  functions: FunctionRuntime;
  hostJson: HostJson;
  clock: Clock;
  log: LogFn;
  /** The RPC base URL the durable client binding advertises, e.g. `http://127.0.0.1:7071/durabletask/` (ends in `/`). */
  rpcBaseUrl(): string;
}

/** Implemented by `durable/index.ts` as `createDurableService`. */
export type CreateDurableService = (options: DurableServiceOptions) => DurableService;
