/**
 * Registration shim: the `@azure/functions-core` object handed to the app, and the registry behind it (functions,
 * hooks, programming model). Mirrors the Node worker's core API: registrations are accepted only while the app starts.
 */

import type { LogFn, RegisteredBinding } from '../contracts';
import { Disposable } from './disposable';
import type {
  CoreFunctionMetadata,
  FunctionCallback,
  HookCallback,
  HookContext,
  ProgrammingModel,
  RpcLogCategory,
  RpcLogLevel,
} from './types';

/** Version reported as `@azure/functions-core` `version` / `hostVersion` (a Functions host 4.x worker). */
export const CORE_API_VERSION = '3.10.1';
export const HOST_VERSION = '4.1040.0';

export interface RegisteredCallback {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
}

export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';
const HOOK_NAMES: readonly string[] = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'];

export interface CoreApi {
  readonly version: string;
  readonly hostVersion: string;
  registerHook(hookName: string, callback: HookCallback): Disposable;
  setProgrammingModel(programmingModel: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable;
  Disposable: typeof Disposable;
}

/** Writes one log line of the app or the programming model; `functionName` is set for invocation logs. */
export type CoreLogSink = (
  level: RpcLogLevel,
  category: RpcLogCategory,
  message: string,
  functionName?: string,
) => void;

export class CoreRegistry {
  readonly functions = new Map<string, RegisteredCallback>();
  readonly hooks = new Map<HookName, HookCallback[]>();
  programmingModel: ProgrammingModel | undefined;
  /** Shared by every hook (`appHookData`). */
  readonly appHookData: Record<string, unknown> = {};
  /** `hookData` of the app-level hooks (appStart, appTerminate). */
  readonly appLevelOnlyHookData: Record<string, unknown> = {};
  startupFinished = false;

  constructor(private readonly sink: CoreLogSink) {}

  hooksFor(name: HookName): HookCallback[] {
    return [...(this.hooks.get(name) ?? [])];
  }

  /** Runs the hooks of one kind in registration order, awaiting each (as the worker's `executeHooks`). */
  async executeHooks(name: HookName, context: HookContext): Promise<void> {
    for (const callback of this.hooksFor(name)) {
      await callback(context);
    }
  }

  /**
   * Emits one log line through the log hooks first: hooks may rewrite level and message of user logs; a throwing hook
   * never suppresses the line (same rule as the worker).
   */
  log(
    level: RpcLogLevel,
    category: RpcLogCategory,
    message: string,
    functionName?: string,
    invocationContext?: unknown,
  ): void {
    let finalLevel = level;
    let finalMessage = message;
    const logHooks = this.hooks.get('log');
    if (logHooks && logHooks.length > 0) {
      const context = { hookData: {}, level, message, category, invocationContext };
      try {
        for (const callback of logHooks) {
          void callback(context);
        }
        if (category === 'user') {
          finalLevel = context.level;
          finalMessage = context.message;
        }
      } catch {
        // a user hook must not prevent logging
      }
    }
    this.sink(finalLevel, category, finalMessage, functionName);
  }

  createCoreApi(): CoreApi {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const registry = this;
    return {
      version: CORE_API_VERSION,
      get hostVersion() {
        return HOST_VERSION;
      },
      registerHook(hookName: string, callback: HookCallback): Disposable {
        if (!HOOK_NAMES.includes(hookName)) {
          throw new RangeError(`Unrecognized hook "${hookName}"`);
        }
        const name = hookName as HookName;
        const list = registry.hooks.get(name) ?? [];
        list.push(callback);
        registry.hooks.set(name, list);
        return new Disposable(() => {
          const current = registry.hooks.get(name) ?? [];
          const index = current.indexOf(callback);
          if (index >= 0) {
            current.splice(index, 1);
          }
        });
      },
      setProgrammingModel(programmingModel: ProgrammingModel): void {
        if (registry.programmingModel) {
          registry.log(
            'information',
            'system',
            `Setting Node.js programming model to "${programmingModel.name}" version "${programmingModel.version}"`,
          );
        }
        registry.programmingModel = programmingModel;
      },
      getProgrammingModel(): ProgrammingModel | undefined {
        return registry.programmingModel;
      },
      log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
        registry.log(level, category, message);
      },
      registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
        if (registry.startupFinished) {
          throw new Error('A function can only be registered during app startup.');
        }
        const functionId = metadata.functionId || metadata.name;
        if (!functionId) {
          throw new Error('Function metadata needs a "name".');
        }
        if (registry.functions.has(functionId)) {
          throw new Error(`A function with name "${functionId}" has already been registered.`);
        }
        // Stored as the worker sends it to the host: plain JSON (the worker serialises every binding as rawBindings).
        const stored = JSON.parse(
          JSON.stringify({ ...metadata, name: metadata.name || functionId }),
        ) as CoreFunctionMetadata;
        registry.functions.set(functionId, { metadata: stored, callback });
        return new Disposable(() => {
          if (registry.startupFinished) {
            throw new Error('A function can only be disposed during app startup.');
          }
          registry.functions.delete(functionId);
        });
      },
      Disposable,
    };
  }
}

export function findTrigger(bindings: Record<string, RegisteredBinding>): RegisteredBinding | undefined {
  return Object.values(bindings).find((binding) => /trigger$/i.test(binding.type));
}

/** Maps the worker's log levels to the host's. `none` is dropped. */
export function toHostLevel(level: RpcLogLevel): Parameters<LogFn>[0] | undefined {
  switch (level) {
    case 'trace':
    case 'debug':
      return 'debug';
    case 'information':
      return 'info';
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
      return 'error';
    default:
      return undefined;
  }
}
