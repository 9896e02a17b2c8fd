import { unsupportedBindingWarnings } from '../../src/bindingSupport';
import type { RegisteredBinding, RegisteredFunction } from '../../src/contracts';

function fn(
  name: string,
  trigger: RegisteredBinding,
  others: Record<string, RegisteredBinding> = {},
): RegisteredFunction {
  return { name, trigger, bindings: { [trigger.name]: trigger, ...others } };
}

describe('unsupportedBindingWarnings', () => {
  it('accepts HTTP functions with a durable client and an http $return, and durable triggers', () => {
    expect(
      unsupportedBindingWarnings([
        fn(
          'Start',
          { type: 'httpTrigger', name: 'req', direction: 'in' },
          {
            client: { type: 'durableClient', name: 'client', direction: 'in' },
            $return: { type: 'http', name: 'res', direction: 'out' },
          },
        ),
        fn('Orch', { type: 'orchestrationTrigger', name: 'ctx', direction: 'in' }),
        fn('Act', { type: 'activityTrigger', name: 'input', direction: 'in' }),
        fn('Ent', { type: 'entityTrigger', name: 'e', direction: 'in' }),
      ]),
    ).toEqual([]);
  });

  it('names triggers and bindings the host does not serve', () => {
    expect(
      unsupportedBindingWarnings([
        fn('Tick', { type: 'timerTrigger', name: 'timer', direction: 'in' }),
        fn(
          'Store',
          { type: 'httpTrigger', name: 'req', direction: 'in' },
          {
            blob: { type: 'blob', name: 'blobInput', direction: 'in' },
            queue: { type: 'queue', name: 'queueOutput', direction: 'out' },
          },
        ),
      ]),
    ).toEqual([
      'Functions.Tick: trigger type "timerTrigger" is not served by the local host; it never runs',
      'Functions.Store: input binding "blobInput" (blob) receives no data here',
      'Functions.Store: output binding "queueOutput" (queue) is ignored here',
    ]);
  });
});
