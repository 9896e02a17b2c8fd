/**
 * The function runtime: invokes registered functions through the programming model exactly as the worker's
 * InvocationHandler does — getInvocationModel → getArguments → preInvocation hooks → invokeFunction → postInvocation
 * hooks (an error is re-thrown after them) → getResponse. A failure becomes the host's RpcException text.
 */

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type {
  FunctionRuntime,
  InvokeLogOptions,
  InvokeResult,
  LogFn,
  RegisteredFunction,
  RpcParameterBinding,
  RpcTypedData,
} from '../contracts';
import type { CoreRegistry } from './registry';
import { findTrigger } from './registry';
import type {
  CoreFunctionMetadata,
  CoreInvocationContext,
  InvocationState,
  RpcLogCategory,
  RpcLogLevel,
  RpcTraceContext,
} from './types';

/** Any thrown value as an Error, the way the worker reports it. */
export function ensureError(err: unknown): Error {
  if (err instanceof Error) {
    return err;
  }
  let message: string;
  if (err === undefined || err === null) {
    message = 'Unknown error';
  } else if (typeof err === 'string') {
    message = err;
  } else if (
    typeof err === 'number' ||
    typeof err === 'boolean' ||
    typeof err === 'bigint' ||
    typeof err === 'symbol'
  ) {
    message = err.toString();
  } else {
    message = JSON.stringify(err) ?? typeof err;
  }
  return new Error(message);
}

/** The host's `RpcException` message for a failed invocation. */
export function toRpcExceptionMessage(error: { message: string; stack?: string }): string {
  return `Result: Failure\nException: ${error.message}\nStack: ${error.stack ?? ''}`;
}

/**
 * A fresh W3C trace context per invocation: the real host always sends one (its activity), so
 * `context.traceContext` is never undefined in Azure.
 */
/** 32 hex digits from pooled entropy: two synchronous `randomBytes` calls per invocation showed up in profiles. */
const randomHex = (): string => randomUUID().replace(/-/g, '');

export function newTraceContext(): RpcTraceContext {
  return {
    traceParent: `00-${randomHex()}-${randomHex().slice(0, 16)}-00`,
    traceState: '',
    attributes: {},
  };
}

export interface FunctionRuntimeOptions {
  registry: CoreRegistry;
  log: LogFn;
}

function describe(metadata: CoreFunctionMetadata): RegisteredFunction {
  const trigger = findTrigger(metadata.bindings);
  if (!trigger) {
    throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  }
  return { name: metadata.name, bindings: metadata.bindings, trigger };
}

export function createFunctionRuntime({ registry, log }: FunctionRuntimeOptions): FunctionRuntime {
  const described = new Map<string, RegisteredFunction>();
  const lookup = (name: string): RegisteredFunction | undefined => {
    let found = described.get(name);
    if (!found) {
      const registered = registry.functions.get(name);
      if (!registered) {
        return undefined;
      }
      found = describe(registered.metadata);
      described.set(name, found);
    }
    return found;
  };

  async function run(
    name: string,
    invocationId: string,
    inputData: RpcParameterBinding[],
    triggerMetadata: Record<string, RpcTypedData>,
  ): Promise<{ returnValue: RpcTypedData | null | undefined; outputData: RpcParameterBinding[] }> {
    const registered = registry.functions.get(name);
    if (!registered) {
      throw new Error(`Function code for '${name}' is not loaded and cannot be invoked.`);
    }
    const model = registry.programmingModel;
    if (!model) {
      throw new Error('No programming model was set: the app did not load "@azure/functions".');
    }
    // Each invocation gets its own copy of the metadata, as the worker rebuilds it from the host's RPC message.
    const metadata = JSON.parse(JSON.stringify(registered.metadata)) as CoreFunctionMetadata;
    // Filled once getArguments created it, so that log hooks see the invocation's context.
    const current: { context?: unknown } = {};
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: registered.metadata.functionId ?? name,
        inputData,
        triggerMetadata,
        traceContext: newTraceContext(),
      },
      metadata,
      state: undefined as InvocationState | undefined,
      log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
        registry.log(level, category, message, name, current.context);
      },
    };
    registry.log('debug', 'system', `Received FunctionInvocationRequest with invocationId ${invocationId}`, name);

    const invocationModel = await model.getInvocationModel(coreCtx);
    const hookData: Record<string, unknown> = {};
    const args = await invocationModel.getArguments();
    const { context } = args;
    current.context = context;

    const preContext = {
      get hookData() {
        return hookData;
      },
      get appHookData() {
        return registry.appHookData;
      },
      get invocationContext() {
        return context;
      },
      functionCallback: registered.callback,
      inputs: args.inputs,
    };
    coreCtx.state = 'preInvocationHooks';
    try {
      await registry.executeHooks('preInvocation', preContext);
    } finally {
      coreCtx.state = undefined;
    }

    const postContext = {
      get hookData() {
        return hookData;
      },
      get appHookData() {
        return registry.appHookData;
      },
      get invocationContext() {
        return context;
      },
      inputs: preContext.inputs,
      result: null as unknown,
      error: null as unknown,
    };
    coreCtx.state = 'invocation';
    try {
      postContext.result = await invocationModel.invokeFunction(
        context,
        preContext.inputs,
        preContext.functionCallback,
      );
    } catch (err) {
      postContext.error = err;
    } finally {
      coreCtx.state = undefined;
    }

    coreCtx.state = 'postInvocationHooks';
    try {
      await registry.executeHooks('postInvocation', postContext);
    } finally {
      coreCtx.state = undefined;
    }
    if (postContext.error !== null && postContext.error !== undefined) {
      throw ensureError(postContext.error);
    }

    const response = await invocationModel.getResponse(context, postContext.result);
    return { returnValue: response.returnValue, outputData: response.outputData ?? [] };
  }

  return {
    list(): RegisteredFunction[] {
      return [...registry.functions.keys()].map((name) => lookup(name)).filter((f): f is RegisteredFunction => !!f);
    },
    get(name: string): RegisteredFunction | undefined {
      return lookup(name);
    },
    async invoke(
      name: string,
      inputData: RpcParameterBinding[],
      triggerMetadata: Record<string, RpcTypedData> = {},
      options: InvokeLogOptions = {},
    ): Promise<InvokeResult> {
      const invocationId = randomUUID();
      const started = performance.now();
      const instance = options.instanceId === undefined ? '' : `InstanceId=${options.instanceId}, `;
      const executed = (outcome: string, durationMs: number): string =>
        `Executed 'Functions.${name}' (${outcome}, ${instance}Id=${invocationId}, Duration=${Math.round(durationMs)}ms)`;
      log('debug', `Executing 'Functions.${name}' (${instance}Id=${invocationId})`);
      try {
        const { returnValue, outputData } = await run(name, invocationId, inputData, triggerMetadata);
        const durationMs = performance.now() - started;
        log(options.quietSuccess === true ? 'debug' : 'info', executed('Succeeded', durationMs));
        return { ok: true, returnValue, outputData, durationMs };
      } catch (err) {
        const durationMs = performance.now() - started;
        const error = ensureError(err);
        log('error', executed('Failed', durationMs));
        log('error', `Exception while executing function: Functions.${name}. ${error.message}`);
        const plain = { message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
        return { ok: false, rpcExceptionMessage: toRpcExceptionMessage(plain), error: plain, durationMs };
      }
    },
  };
}
