import { SystemError, UserError, describeValue, ensureError, errorCode, failureSummary } from '../../../lib/errors';

describe('ensureError', () => {
  it('keeps errors and wraps anything else thrown', () => {
    const error = new Error('x');
    expect(ensureError(error)).toBe(error);
    expect(ensureError('text').message).toBe('text');
    expect(ensureError({ a: 1 }).message).toBe('{"a":1}');
    expect(ensureError(undefined).message).toBe('undefined');
  });
});

describe('error taxonomy', () => {
  it('separates user errors from system errors with a machine code', () => {
    const user = new UserError('invalidJson', 'bad', 400, { field: 'x' });
    const system = new SystemError('backendUnavailable', 'down');
    expect(user).toMatchObject({
      isUserError: true,
      code: 'invalidJson',
      status: 400,
      details: { field: 'x' },
      name: 'UserError',
    });
    expect(system).toMatchObject({ isUserError: false, code: 'backendUnavailable', name: 'SystemError' });
    expect(errorCode(user)).toBe('invalidJson');
    expect(errorCode(new TypeError('x'))).toBe('internal');
  });

  it('describes received values for messages', () => {
    expect([null, [1], 3, 'ab', true, {}].map(describeValue)).toEqual([
      'null',
      'array',
      'number 3',
      'string "ab"',
      'boolean',
      'object',
    ]);
  });
});

describe('failureSummary', () => {
  it.each([
    ['Activity function \'A\' failed:  boom \n {"StackTraceString":"at x"}', "Activity function 'A' failed:  boom"],
    ['Error: boom', 'Error: boom'],
    ['  padded  ', 'padded'],
  ])('turns %p into %p', (message, expected) => {
    expect(failureSummary(new Error(message))).toBe(expected);
  });

  it('describes non-Error values too', () => {
    expect(failureSummary('plain text')).toBe('plain text');
  });
});
