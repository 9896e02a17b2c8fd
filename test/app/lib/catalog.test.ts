jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});

import { KNOWN_ORCHESTRATORS, parseOrchestratorName, parseStartInput } from '../../../lib/catalog';
import '../../../orchestrators/Counter';
import '../../../orchestrators/HistoryJanitor';
import '../../../orchestrators/PeriodicJob';
import { registrations } from '../../support/fakeFunctionsCore';

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
      windowMinutes: 60,
      lookbackDays: 30,
    });
  });

  it('takes the HistoryJanitor window options within their bounds', () => {
    const janitor = (value: unknown) => parseStartInput('HistoryJanitor', { present: true, value });
    expect(janitor({ olderThanDays: 0, windowMinutes: 1440, lookbackDays: 3650 })).toMatchObject({
      olderThanDays: 0,
      windowMinutes: 1440,
      lookbackDays: 3650,
    });
    expect(janitor({ windowMinutes: 1, lookbackDays: 6 })).toMatchObject({ windowMinutes: 1, lookbackDays: 6 });
    for (const [field, value] of [
      ['windowMinutes', 0],
      ['windowMinutes', 1441],
      ['windowMinutes', 1.5],
      ['lookbackDays', 0],
      ['lookbackDays', 3651],
      ['olderThanDays', -1],
    ] as const) {
      expect(() => janitor({ [field]: value })).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ field }) }),
      );
    }
  });

  it('refuses a HistoryJanitor sweep of more than 8760 windows, naming the least window', () => {
    expect(() =>
      parseStartInput('HistoryJanitor', { present: true, value: { windowMinutes: 1, lookbackDays: 7 } }),
    ).toThrow(
      "Invalid input for HistoryJanitor: 'windowMinutes' must be at least 2 for lookbackDays 7 (at most 8760 windows per sweep) (received number 1).",
    );
  });
});
