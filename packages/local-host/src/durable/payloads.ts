/**
 * Wire conversions between the engine and the function runtime: trigger payloads going in (orchestration, activity,
 * entity) and invocation results coming back, as the Durable extension produces and reads them.
 */
import type { RpcTypedData } from '../contracts';
import type { HistoryEvent } from './history';

/** The `DurableOrchestrationBindingInfo` JSON the orchestration trigger receives. */
export function orchestrationTriggerPayload(args: {
  history: readonly HistoryEvent[];
  inputJson: string | null;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | null;
}): string {
  return JSON.stringify({
    history: args.history,
    input: args.inputJson === null ? null : (JSON.parse(args.inputJson) as unknown),
    instanceId: args.instanceId,
    isReplaying: args.isReplaying,
    parentInstanceId: args.parentInstanceId,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '6.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  });
}

/** Activity input as RPC data: the JSON text whose `JSON.parse` is the caller's value (`fromRpcTypedData` parses it). */
export function activityInputData(inputJson: string | undefined): RpcTypedData {
  return { string: inputJson ?? 'null' };
}

/** JSON text of a function's return value as the extension serialises it (`undefined`/`null` ⇒ `null`). */
export function returnValueJson(value: RpcTypedData | null | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value.json === 'string') return value.json;
  if (typeof value.string === 'string') return JSON.stringify(value.string);
  if (typeof value.int === 'number') return JSON.stringify(value.int);
  if (typeof value.double === 'number') return JSON.stringify(value.double);
  if (value.bytes instanceof Uint8Array) return JSON.stringify(Buffer.from(value.bytes).toString('base64'));
  return 'null';
}

/** Parses the orchestrator's `returnValue` (`{json}` in practice; `{string}` accepted). */
export function parseReturnedJson(value: RpcTypedData | null | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value.json === 'string') return JSON.parse(value.json) as unknown;
  if (typeof value.string === 'string') return JSON.parse(value.string) as unknown;
  return undefined;
}

/** The text the extension extracts from the host's RpcException message: between `\nException:` and `\nStack:`. */
export function exceptionText(rpcExceptionMessage: string, fallback: string): string {
  const start = rpcExceptionMessage.indexOf('\nException:');
  if (start < 0) return fallback;
  const from = start + '\nException:'.length;
  const end = rpcExceptionMessage.indexOf('\nStack:', from);
  return end < 0 ? rpcExceptionMessage.slice(from) : rpcExceptionMessage.slice(from, end);
}

const OUT_OF_PROC_MARKER = '$OutOfProcData$:';

/** The OrchestratorState JSON a failing JS orchestrator embeds in its error message, if present. */
export function outOfProcState(errorMessage: string): unknown {
  const at = errorMessage.indexOf(OUT_OF_PROC_MARKER);
  if (at < 0) return undefined;
  let json = errorMessage.slice(at + OUT_OF_PROC_MARKER.length);
  const stack = json.indexOf('\nStack:');
  if (stack >= 0) json = json.slice(0, stack);
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** A .NET-style serialised exception for `TaskFailed.Details` (shape approximated; JS only concatenates it). */
export function exceptionDetails(message: string, stack: string | undefined): string {
  return JSON.stringify({
    $type: 'System.Exception, System.Private.CoreLib',
    ClassName: 'System.Exception',
    Message: message,
    Data: null,
    InnerException: null,
    HelpURL: null,
    StackTraceString: stack ?? null,
    RemoteStackTraceString: null,
    RemoteStackIndex: 0,
    ExceptionMethod: null,
    HResult: -2146233088,
    Source: null,
    WatsonBuckets: null,
  });
}

export interface EntityBatchOperation {
  name: string;
  /** JSON text of the operation input, or null. */
  input: string | null;
  isSignal: boolean;
  id: string;
}

/** The `entityTrigger` payload (§1.8). */
export function entityBatchPayload(args: {
  name: string;
  key: string;
  exists: boolean;
  state: string | null;
  batch: readonly EntityBatchOperation[];
}): string {
  return JSON.stringify({
    self: { name: args.name, key: args.key },
    exists: args.exists,
    state: args.state,
    batch: args.batch,
  });
}

export interface EntityBatchResult {
  entityExists: boolean;
  entityState: string | null;
  results: { isError: boolean; result?: string }[];
  signals: { target: { name: string; key: string }; name: string; input: string }[];
}

export function parseEntityBatchResult(value: unknown): EntityBatchResult {
  if (typeof value !== 'object' || value === null) throw new Error('entity function returned no EntityState');
  const v = value as Record<string, unknown>;
  const results = Array.isArray(v.results) ? (v.results as unknown[]) : [];
  const signals = Array.isArray(v.signals) ? (v.signals as unknown[]) : [];
  return {
    entityExists: v.entityExists === true,
    entityState: typeof v.entityState === 'string' ? v.entityState : null,
    results: results.map((r) => {
      const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
      return typeof o.result === 'string'
        ? { isError: o.isError === true, result: o.result }
        : { isError: o.isError === true };
    }),
    signals: signals.flatMap((s) => {
      const o = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
      const target = (typeof o.target === 'object' && o.target !== null ? o.target : {}) as Record<string, unknown>;
      if (typeof target.name !== 'string' || typeof target.key !== 'string' || typeof o.name !== 'string') return [];
      return [
        {
          target: { name: target.name, key: target.key },
          name: o.name,
          input: typeof o.input === 'string' ? o.input : '',
        },
      ];
    }),
  };
}
