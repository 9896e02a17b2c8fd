/**
 * durable-local-host: a host for Azure Functions apps of the Node.js v4 programming model with durable-functions v3,
 * without Azure Functions Core Tools. The programmatic API; the jest helper is `durable-local-host/testing`, the CLI
 * the `durable-local-host` bin.
 */
export { LocalHost, childEntryPath, createLocalHost, defaultBackend } from './api';
export type { InstanceStatus, LocalHostOptions } from './api';
export {
  AppLoadError,
  CliUsageError,
  HostStartError,
  LOCAL_HOST_ERROR_CODES,
  LocalHostError,
  ReferenceBackendError,
  isLocalHostErrorCode,
} from './errors';
export type { ErrorCodeOf, ErrorDetails, LocalHostErrorClass, LocalHostErrorCode } from './errors';
export { BACKENDS, resolveDurableTaskSettings, startHost } from './host';
export type { Backend, RunningHost, StartHostOptions } from './host';
export { createManualClock, createRealClock, isManualClock } from './clock';
export type { ManualClock } from './clock';
export type { Clock, HostJson, LogFn } from './contracts';
export { createConsoleLog } from './log';
export { HOST_ERROR_CODES } from './http/hostErrors';
export type { HostErrorCode } from './http/hostErrors';
export { externalStorage, startAzurite } from './reference/azurite';
export type { AzuriteOptions, Storage } from './reference/azurite';
export { DOTNET_REQUIREMENT, ensureReferenceHostBuilt, findDotnet } from './reference/dotnet';
export { findOnPath } from './path';
export { CLI_ENTRY, REFERENCE_HOST_DIR } from './layout';
export { globFiles } from './core/loadApp';
