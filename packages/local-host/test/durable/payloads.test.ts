import {
  activityInputData,
  exceptionText,
  orchestrationTriggerPayload,
  outOfProcState,
  returnValueJson,
} from '../../src/durable/payloads';

describe('orchestrationTriggerPayload', () => {
  it('carries the fields durable-functions requires, with the input as a JSON value', () => {
    const payload: unknown = JSON.parse(
      orchestrationTriggerPayload({
        history: [{ EventType: 12, EventId: -1, IsPlayed: false, Timestamp: '2024-01-01T00:00:00.000Z' }],
        inputJson: '"in"',
        instanceId: 'abc',
        isReplaying: false,
        parentInstanceId: null,
      }),
    );
    expect(payload).toEqual({
      history: [{ EventType: 12, EventId: -1, IsPlayed: false, Timestamp: '2024-01-01T00:00:00.000Z' }],
      input: 'in',
      instanceId: 'abc',
      isReplaying: false,
      parentInstanceId: null,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '6.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    });
  });
});

describe('value conversions', () => {
  it('delivers activity input as the JSON text of the value', () => {
    expect(activityInputData('"hello"')).toEqual({ string: '"hello"' });
    expect(activityInputData(undefined)).toEqual({ string: 'null' });
  });

  it('serialises return values as the extension does', () => {
    expect(returnValueJson({ string: 'x' })).toBe('"x"');
    expect(returnValueJson({ json: '{"a":1}' })).toBe('{"a":1}');
    expect(returnValueJson({ int: 3 })).toBe('3');
    expect(returnValueJson({ double: 1.5 })).toBe('1.5');
    expect(returnValueJson(undefined)).toBe('null');
  });
});

describe('failure text', () => {
  it('extracts the text between "\\nException:" and "\\nStack:" with its leading space', () => {
    expect(exceptionText('Result: Failure\nException: kaboom\nStack: Error: kaboom\n at x', 'fallback')).toBe(
      ' kaboom',
    );
    expect(exceptionText('no markers', 'fallback')).toBe('fallback');
  });

  it('finds the OrchestratorState embedded after $OutOfProcData$:', () => {
    const message = 'false\n\n$OutOfProcData$:{"isDone":false,"actions":[[]],"schemaVersion":2,"error":"boom"}';
    expect(outOfProcState(message)).toEqual({ isDone: false, actions: [[]], schemaVersion: 2, error: 'boom' });
    expect(outOfProcState(`Result: Failure\nException: ${message}\nStack: at y`)).toMatchObject({ error: 'boom' });
    expect(outOfProcState('plain error')).toBeUndefined();
  });
});
