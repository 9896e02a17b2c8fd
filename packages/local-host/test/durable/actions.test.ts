import { ActionType, actionSignature, flattenActions, parseOrchestratorState } from '../../src/durable/actions';

describe('parseOrchestratorState', () => {
  it('flattens compound actions depth-first and keeps the JSON text of inputs', () => {
    const state = parseOrchestratorState({
      isDone: false,
      schemaVersion: 2,
      customStatus: { step: 2 },
      actions: [
        [
          { functionName: 'Act', input: '"hello"', actionType: ActionType.CallActivity },
          {
            actionType: ActionType.WhenAll,
            compoundActions: [
              { functionName: 'Act', input: 5, actionType: ActionType.CallActivity },
              {
                actionType: ActionType.WhenAny,
                compoundActions: [
                  { fireAt: '2024-01-01T00:00:06.000Z', isCanceled: false, actionType: ActionType.CreateTimer },
                  { externalEventName: 'Go', reason: 'ExternalEvent', actionType: ActionType.WaitForExternalEvent },
                ],
              },
            ],
          },
          { instanceId: '@counter@k', operation: 'add', input: 1, actionType: ActionType.SignalEntity },
        ],
      ],
    });
    expect(state.customStatus).toBe('{"step":2}');
    expect(state.actions).toEqual([
      { kind: 'activity', name: 'Act', input: '"hello"' },
      { kind: 'activity', name: 'Act', input: '5' },
      { kind: 'timer', fireAt: Date.UTC(2024, 0, 1, 0, 0, 6), isCanceled: false },
      { kind: 'waitForEvent', name: 'Go' },
      { kind: 'signalEntity', schedulerId: '@counter@k', operation: 'add', input: '1' },
    ]);
  });

  it('reads V1 (one array per action) the same way and reports continue-as-new with its input', () => {
    const state = parseOrchestratorState({
      isDone: true,
      actions: [
        [{ functionName: 'A', actionType: ActionType.CallActivity }],
        [{ input: '"next"', actionType: ActionType.ContinueAsNew }],
      ],
      schemaVersion: 0,
    });
    expect(state.actions).toEqual([{ kind: 'activity', name: 'A', input: undefined }]);
    expect(state.continueAsNew).toEqual({ input: '"next"' });
    expect(state.output).toBeUndefined();
  });

  it('keeps the output as JSON text (null output stays null) and the error text', () => {
    expect(parseOrchestratorState({ isDone: true, actions: [[]], output: null }).output).toBe('null');
    expect(parseOrchestratorState({ isDone: false, actions: [[]], error: 'boom' }).error).toBe('boom');
  });

  it('fills retry defaults the way the extension does (6-day max interval)', () => {
    const [action] = flattenActions([
      {
        functionName: 'F',
        actionType: ActionType.CallActivityWithRetry,
        retryOptions: { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 3 },
      },
    ]).actions;
    expect(action).toMatchObject({
      kind: 'activity',
      retry: { backoffCoefficient: 1, maxRetryIntervalInMilliseconds: 6 * 24 * 3600 * 1000 },
    });
  });

  it('marks callHttp and entity locks as unsupported and rejects unknown action types', () => {
    expect(flattenActions([{ actionType: ActionType.CallHttp, httpRequest: {} }]).actions[0]).toMatchObject({
      kind: 'unsupported',
    });
    expect(() => flattenActions([{ actionType: 99 }])).toThrow('unknown actionType 99');
    expect(() => parseOrchestratorState({ actions: 'x' })).toThrow('OrchestratorState.actions must be an array');
  });
});

describe('actionSignature', () => {
  it('names the action kind and target so a mismatch can be explained', () => {
    expect(actionSignature({ kind: 'activity', name: 'A', input: undefined })).toBe("activity 'A'");
    expect(actionSignature({ kind: 'timer', fireAt: 0, isCanceled: true })).toBe('timer');
    expect(actionSignature({ kind: 'callEntity', schedulerId: '@c@k', operation: 'get', input: undefined })).toBe(
      "entity call '@c@k' operation 'get'",
    );
  });
});
