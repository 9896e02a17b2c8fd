/** The start-up listing of functions, in the layout `func start` prints. */

import type { RegisteredFunction } from '../contracts';
import type { HttpRoute } from './frontDoor';

export function formatFunctionList(functions: RegisteredFunction[], routes: HttpRoute[], origin: string): string {
  const byName = new Map(routes.map((route) => [route.function.name, route]));
  const lines = ['Functions:', ''];
  for (const fn of [...functions].sort((a, b) => a.name.localeCompare(b.name))) {
    const route = byName.get(fn.name);
    if (route) {
      const methods = route.methods.length > 0 ? `[${route.methods.join(',')}] ` : '';
      lines.push(`\t${fn.name}: ${methods}${origin}/${route.displayTemplate}`, '');
    } else {
      lines.push(`\t${fn.name}: ${fn.trigger.type}`, '');
    }
  }
  return lines.join('\n');
}

/** The notice that keys are not checked, naming the functions that would need one in Azure. */
export function formatAuthNotice(routes: HttpRoute[]): string | undefined {
  const keyed = routes.filter((route) => route.authLevel.toLowerCase() !== 'anonymous');
  const base =
    'HTTP authLevel is recorded but not enforced by the local host (as with func start): no function or admin keys are checked.';
  if (keyed.length === 0) {
    return base;
  }
  return `${base} Functions that need a key in Azure: ${keyed
    .map((route) => `${route.function.name} (${route.authLevel})`)
    .join(', ')}.`;
}

export interface ReadyBannerOptions {
  /** The URL to use, e.g. `http://localhost:7071`. */
  origin: string;
  /** The address the server is bound to. */
  bindHost: string;
  pid: number;
  /** Why the local host runs rather than `func start`. */
  coreTools: 'not found' | 'skipped';
  backend: 'memory' | 'azurite';
  /** Azurite's data folder (azurite backend); absent ⇒ Azurite in memory. */
  location?: string;
}

/** The lines printed once the host serves: where it listens, where the management API and the state are, how to stop. */
export function formatReadyBanner(options: ReadyBannerOptions): string {
  const state =
    options.backend === 'memory'
      ? 'State: in memory only; every instance and its history is lost when the host stops.'
      : options.location === undefined
        ? 'State: the Durable extension on Azurite, in memory; lost when the host stops (--location DIR keeps it).'
        : `State: the Durable extension on Azurite, kept in ${options.location} between runs.`;
  return [
    `durable-local-host (Core Tools ${options.coreTools}) listening on ${options.origin} (bound to ${options.bindHost}, pid ${options.pid})`,
    `Durable management API: ${options.origin}/runtime/webhooks/durabletask/instances`,
    state,
    'Press Ctrl-C to stop.',
  ].join('\n');
}

/** The origin people should use for a bind address: `localhost` for loopback and the any-address. */
export function displayOrigin(bindHost: string, port: number): string {
  const local = ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost'].includes(bindHost);
  const host = local ? 'localhost' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  return `http://${host}:${port}`;
}
