jest.mock('@azure/functions-core', () => jest.requireActual('../../fixtures/appCore').fakeCore, { virtual: true });

import { KNOWN_ORCHESTRATORS, parseOrchestratorName, parseStartInput } from '../../../lib/catalog';
import '../../../orchestrators/Counter';
import '../../../orchestrators/HistoryJanitor';
import '../../../orchestrators/PeriodicJob';
import { registrations } from '../../fixtures/appCore';

describe('orchestrator catalog', () => {
  it('lists exactly the orchestrations the app registers', () => {
    const orchestrations = [...registrations.values()]
      .filter((r) => Object.values(r.metadata.bindings).some((b) => b.type === 'orchestrationTrigger'))
      .map((r) => r.metadata.name);
    expect([...KNOWN_ORCHESTRATORS].sort()).toEqual(orchestrations.sort());
  });

  it('refuses unknown names with 404, prototype names included', () => {
    expect(parseOrchestratorName('Counter')).toBe('Counter');
    for (const name of ['counter', 'toString', '__proto__', undefined]) {
      expect(() => parseOrchestratorName(name)).toThrow(/^Unknown orchestrator/);
    }
  });

  it('applies each orchestrator defaults to an absent body', () => {
    expect(parseStartInput('Counter', { present: false })).toEqual({ value: 0 });
    expect(parseStartInput('PeriodicJob', { present: false })).toEqual({ intervalSeconds: 60 });
    expect(parseStartInput('PeriodicJob', { present: true, value: null })).toEqual({ intervalSeconds: 60 });
    expect(parseStartInput('HistoryJanitor', { present: false })).toEqual({
      olderThanDays: 30,
      intervalSeconds: 86_400,
    });
  });
});
