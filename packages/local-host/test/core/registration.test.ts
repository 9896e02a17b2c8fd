import type { RegisteredFunction } from '../../src/contracts';
import { useLocalHost } from '../../src/testing';
import { HTTP_DURABLE_APP } from '../support/fixtureApps';

describe('registration through @azure/functions-core', () => {
  const host = useLocalHost({ appDir: HTTP_DURABLE_APP });
  let functions: RegisteredFunction[];

  beforeAll(async () => {
    functions = await host().listFunctions();
  });

  const byName = (name: string): RegisteredFunction => {
    const found = functions.find((f) => f.name === name);
    if (!found) throw new Error(`${name} is not registered`);
    return found;
  };

  it('collects every function the app registers', () => {
    expect(functions.map((f) => f.name).sort()).toEqual([
      'ClientInfo',
      'Describe',
      'Greet',
      'Hello',
      'Sleepy',
      'StartAny',
      'StartHello',
      'WaitForGo',
    ]);
  });

  it('keeps an orchestration as a single orchestrationTrigger input', () => {
    expect(byName('Hello').bindings).toEqual({
      orchestrationTrigger56e21d4b3e: {
        type: 'orchestrationTrigger',
        name: 'orchestrationTrigger56e21d4b3e',
        direction: 'in',
        properties: { supportsDeferredBinding: 'false' },
      },
    });
    expect(byName('Hello').trigger.type).toBe('orchestrationTrigger');
  });

  it('keeps an activity as a single activityTrigger input', () => {
    expect(Object.values(byName('Greet').bindings)).toEqual([
      {
        type: 'activityTrigger',
        name: 'activityTrigger7996c743ef',
        direction: 'in',
        properties: { supportsDeferredBinding: 'false' },
      },
    ]);
  });

  it('registers an HTTP client function with its trigger, durableClient input and $return output', () => {
    const start = byName('StartHello');
    expect(start.bindings).toEqual({
      httpTriggera16aa8e22f: {
        route: 'start/{id}',
        methods: ['POST'],
        authLevel: 'anonymous',
        type: 'httpTrigger',
        name: 'httpTriggera16aa8e22f',
        direction: 'in',
        properties: { supportsDeferredBinding: 'false' },
      },
      durableClientInputd82f0ee27b: {
        type: 'durableClient',
        name: 'durableClientInputd82f0ee27b',
        direction: 'in',
        properties: { supportsDeferredBinding: 'false' },
      },
      $return: { type: 'http', name: 'httpOutput9a706511b1', direction: 'out' },
    });
    expect(start.trigger.name).toBe('httpTriggera16aa8e22f');
  });

  it('registers df.app.client.http functions with the same durableClient input', () => {
    const info = byName('ClientInfo');
    expect(info.bindings.durableClientInputd82f0ee27b?.type).toBe('durableClient');
    expect(info.trigger).toMatchObject({ type: 'httpTrigger', route: 'client', methods: ['GET'] });
  });
});
