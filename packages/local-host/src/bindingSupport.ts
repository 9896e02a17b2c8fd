/**
 * Which triggers and bindings the local host serves. Anything else is registered but never fed data, so the host says
 * so at start-up instead of leaving a function silently idle.
 */

import type { RegisteredBinding, RegisteredFunction } from './contracts';

/** Triggers with a source in this host: the HTTP front door and the durable engine. */
export const SERVED_TRIGGERS = ['httptrigger', 'orchestrationtrigger', 'activitytrigger', 'entitytrigger'];
const CLIENT_INPUTS = ['durableclient', 'orchestrationclient'];

/** A durable client input (`durableClient`, or the older `orchestrationClient`): the host fills it with the binding payload. */
export function isDurableClientInput(binding: RegisteredBinding): boolean {
  return binding.direction === 'in' && CLIENT_INPUTS.includes(binding.type.toLowerCase());
}

/** Names of the function's durable client inputs, for every kind of invocation (HTTP, activity, orchestrator, entity). */
export function durableClientBindingNames(fn: RegisteredFunction): string[] {
  return Object.values(fn.bindings)
    .filter(isDurableClientInput)
    .map((b) => b.name);
}

export function unsupportedBindingWarnings(functions: RegisteredFunction[]): string[] {
  const warnings: string[] = [];
  for (const fn of functions) {
    const triggerType = fn.trigger.type.toLowerCase();
    if (!SERVED_TRIGGERS.includes(triggerType)) {
      warnings.push(
        `Functions.${fn.name}: trigger type "${fn.trigger.type}" is not served by the local host; it never runs`,
      );
    }
    for (const [key, binding] of Object.entries(fn.bindings)) {
      if (binding.name === fn.trigger.name && binding.type === fn.trigger.type) {
        continue;
      }
      const type = binding.type.toLowerCase();
      if (binding.direction === 'in' && !isDurableClientInput(binding)) {
        warnings.push(`Functions.${fn.name}: input binding "${binding.name}" (${binding.type}) receives no data here`);
      } else if (binding.direction === 'out' && !(key === '$return' && type === 'http')) {
        warnings.push(`Functions.${fn.name}: output binding "${binding.name}" (${binding.type}) is ignored here`);
      }
    }
  }
  return warnings;
}
