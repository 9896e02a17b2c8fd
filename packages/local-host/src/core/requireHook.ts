/**
 * Provides `@azure/functions-core` to the app the way the Node worker does: by intercepting module loading for that
 * one request name. It must be installed before `@azure/functions` is first required, because the package looks the
 * module up once and switches to "test mode" (no registrations) when it is missing.
 */

import Module from 'node:module';
import type { CoreApi } from './registry';

export const CORE_MODULE_NAME = '@azure/functions-core';

type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: LoadFn };

let installed = false;

/**
 * Installs the hook and returns a function that removes it. Only one core API can exist per process (the programming
 * model caches it), so a second install is refused.
 */
export function installCoreModule(coreApi: CoreApi): () => void {
  if (installed) {
    throw new Error(`${CORE_MODULE_NAME} is already provided in this process: run one local host per process.`);
  }
  const original = moduleInternals._load;
  moduleInternals._load = function load(this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    if (request === CORE_MODULE_NAME) {
      return coreApi;
    }
    return original.call(this, request, parent, isMain);
  };
  installed = true;
  return () => {
    moduleInternals._load = original;
    // The programming model keeps its reference to the core API, so the process stays taken.
  };
}
