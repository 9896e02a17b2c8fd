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
import { InvocationContext } from '@azure/functions';
import { cloudRoleName } from '../../../lib/telemetry/cloudRole';
import { createOperationStamp, parseTraceParent } from '../../../lib/telemetry/operationContext';
import type { OperationContext } from '../../../lib/telemetry/operationContext';
import { withScopedEnvironment } from '../../../lib/telemetry/scopedEnvironment';
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

describe('parseTraceParent', () => {
  const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
  const SPAN_ID = 'b7ad6b7169203331';

  it('takes the operation ID (trace ID) and parent ID (span ID) from the invocation’s trace context', () => {
    const context = new InvocationContext({
      functionName: 'HttpStartSingle',
      invocationId: 'i',
      logHandler: () => undefined,
      traceContext: { traceParent: `00-${TRACE_ID}-${SPAN_ID}-01`, traceState: 'congo=t61rcWkgMzE', attributes: {} },
    });
    expect(parseTraceParent(context.traceContext?.traceParent)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
  });

  it('accepts a later version with more fields', () => {
    expect(parseTraceParent(`cc-${TRACE_ID}-${SPAN_ID}-00-what-the-future-holds`)).toMatchObject({ traceFlags: 0 });
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['empty', ''],
    ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['version 00 with more fields', `00-${TRACE_ID}-${SPAN_ID}-01-extra`],
    ['an all-zero trace ID', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero span ID', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a short trace ID', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
  ])('gives no operation for a traceparent that is %s', (_, traceParent) => {
    expect(parseTraceParent(traceParent)).toBeUndefined();
  });
});

describe('createOperationStamp', () => {
  const operation = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

  it('stamps the records emitted during one tracking call, and no other', () => {
    const stamp = createOperationStamp();
    const during: { spanContext?: OperationContext } = {};
    const after: { spanContext?: OperationContext } = {};
    stamp.during(operation, () => stamp.processor.onEmit(during));
    stamp.processor.onEmit(after);
    expect(during.spanContext).toEqual(operation);
    expect(after.spanContext).toBeUndefined();
  });

  it('forgets the operation when the tracking call throws', () => {
    const stamp = createOperationStamp();
    expect(() =>
      stamp.during(operation, () => {
        throw new Error('exporter broke');
      }),
    ).toThrow('exporter broke');
    const record: { spanContext?: OperationContext } = {};
    stamp.processor.onEmit(record);
    expect(record.spanContext).toBeUndefined();
  });
});

describe('cloudRoleName', () => {
  it('is the Function App’s name, WEBSITE_SITE_NAME, when Azure sets it', () => {
    expect(cloudRoleName({ WEBSITE_SITE_NAME: ' my-app ' })).toBe('my-app');
    expect(cloudRoleName({ WEBSITE_SITE_NAME: '' })).toBeUndefined();
    expect(cloudRoleName({})).toBeUndefined();
  });
});

describe('withScopedEnvironment', () => {
  const snapshot = (): Record<string, string | undefined> => ({ ...process.env });

  it('defaults unset variables for the call and leaves process.env exactly as it was', () => {
    const before = snapshot();
    const seen = withScopedEnvironment({ SCOPED_ENV_TEST_DEFAULT: 'true' }, () => {
      process.env.SCOPED_ENV_TEST_ADDED = 'by the SDK';
      if (process.env.PATH !== undefined) process.env.PATH = 'changed';
      return process.env.SCOPED_ENV_TEST_DEFAULT;
    });
    expect(seen).toBe('true');
    expect(snapshot()).toEqual(before);
  });

  it('keeps a value the operator set, and restores the environment when the call throws', () => {
    process.env.SCOPED_ENV_TEST_DEFAULT = 'false';
    try {
      const before = snapshot();
      expect(() =>
        withScopedEnvironment({ SCOPED_ENV_TEST_DEFAULT: 'true' }, () => {
          expect(process.env.SCOPED_ENV_TEST_DEFAULT).toBe('false');
          delete process.env.SCOPED_ENV_TEST_DEFAULT;
          throw new Error('setup failed');
        }),
      ).toThrow('setup failed');
      expect(snapshot()).toEqual(before);
    } finally {
      delete process.env.SCOPED_ENV_TEST_DEFAULT;
    }
  });
});
