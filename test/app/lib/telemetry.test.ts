/**
 * The pure parts of telemetry (what each decision and error becomes) and the off switch, in process. That the real
 * SDK sends these is proved in telemetry.sdk.test.ts.
 */

import {
  START_DECISION_EVENT_NAME,
  flushTelemetry,
  resetTelemetryForTests,
  trackStartDecision,
  trackSystemError,
} from '../../../lib/telemetry';
import type { StartDecisionEvent } from '../../../lib/telemetry';
import { toStartDecisionProperties } from '../../../lib/telemetry/toStartDecisionProperties';
import { toSystemErrorProperties } from '../../../lib/telemetry/toSystemErrorProperties';

describe('toStartDecisionProperties', () => {
  const cases: [StartDecisionEvent, Record<string, string>][] = [
    [
      { decision: 'started', instanceId: 'job-1', name: 'PeriodicJob' },
      { decision: 'started', instanceId: 'job-1', orchestratorName: 'PeriodicJob' },
    ],
    [
      { decision: 'restarted', instanceId: 'job-1', name: 'PeriodicJob', previousStatus: 'Failed' },
      { decision: 'restarted', instanceId: 'job-1', orchestratorName: 'PeriodicJob', previousStatus: 'Failed' },
    ],
    [
      { decision: 'conflict', instanceId: 'counter', name: 'Counter', runtimeStatus: 'Running' },
      { decision: 'conflict', instanceId: 'counter', orchestratorName: 'Counter', runtimeStatus: 'Running' },
    ],
    [
      { decision: 'existing', instanceId: 'counter', name: 'Counter', runtimeStatus: 'Suspended' },
      { decision: 'existing', instanceId: 'counter', orchestratorName: 'Counter', runtimeStatus: 'Suspended' },
    ],
    [
      { decision: 'rejected', instanceId: '@bad', name: 'Counter', reason: 'invalid instanceId' },
      { decision: 'rejected', instanceId: '@bad', orchestratorName: 'Counter', reason: 'invalid instanceId' },
    ],
  ];

  it.each(cases)('maps %o to exactly its properties', (event, expected) => {
    expect(toStartDecisionProperties(event)).toEqual(expected);
  });

  it('names the custom event StartDecision', () => {
    expect(START_DECISION_EVENT_NAME).toBe('StartDecision');
  });
});

describe('toSystemErrorProperties', () => {
  const withCode = (code: unknown): Error => Object.assign(new Error('backend down'), { code });

  it('adds the error code as errorCode next to the given properties', () => {
    expect(toSystemErrorProperties(withCode('BackendUnavailable'), { instanceId: 'counter' })).toEqual({
      errorCode: 'BackendUnavailable',
      instanceId: 'counter',
    });
  });

  it('keeps a caller-supplied errorCode over the error object’s code', () => {
    expect(toSystemErrorProperties(withCode('Generic'), { errorCode: 'StartNewFailed' })).toEqual({
      errorCode: 'StartNewFailed',
    });
  });

  it.each([undefined, '', 503])('ignores a code that is not a non-empty string (%p)', (code) => {
    expect(toSystemErrorProperties(withCode(code))).toEqual({});
  });

  it('does not change the caller’s properties object', () => {
    const properties = { instanceId: 'counter' };
    toSystemErrorProperties(withCode('BackendUnavailable'), properties);
    expect(properties).toEqual({ instanceId: 'counter' });
  });
});

describe('telemetry without a connection string', () => {
  const saved = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;

  beforeEach(async () => {
    delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    await resetTelemetryForTests();
  });

  afterEach(async () => {
    if (saved === undefined) delete process.env.APPLICATIONINSIGHTS_CONNECTION_STRING;
    else process.env.APPLICATIONINSIGHTS_CONNECTION_STRING = saved;
    await resetTelemetryForTests();
  });

  it('accepts every call as a no-op that neither throws nor rejects', async () => {
    expect(() => trackStartDecision({ decision: 'started', instanceId: 'counter', name: 'Counter' })).not.toThrow();
    expect(() => trackSystemError(new Error('backend down'), { instanceId: 'counter' })).not.toThrow();
    await expect(flushTelemetry()).resolves.toBeUndefined();
  });
});
