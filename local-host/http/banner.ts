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
