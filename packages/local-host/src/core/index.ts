/** The function runtime room: registration shim (`@azure/functions-core`), app loading and invocation. */

export { CoreRegistry, findTrigger, toHostLevel } from './registry';
export type { CoreApi, CoreLogSink, RegisteredCallback } from './registry';
export { installCoreModule, CORE_MODULE_NAME } from './requireHook';
export { loadApp, AppLoadError, globFiles } from './loadApp';
export { createFunctionRuntime, ensureError, toRpcExceptionMessage } from './runtime';
export { Disposable } from './disposable';
