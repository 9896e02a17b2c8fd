jest.mock('../../../lib/telemetry');

import { format } from 'node:util';
import { InvocationContext } from '@azure/functions';
import { SystemError, UserError } from '../../../lib/errors';
import { errorResponse } from '../../../lib/httpErrors';
import { trackSystemError } from '../../../lib/telemetry';

const traceContext = { traceParent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
const context = () =>
  new InvocationContext({ functionName: 'f', invocationId: 'i', logHandler: () => undefined, traceContext });
const props = { instanceId: 'a', name: 'Counter' };

beforeEach(() => jest.clearAllMocks());

describe('errorResponse', () => {
  it('answers a user error with its status and message, without telemetry', () => {
    const response = errorResponse(new UserError('invalidQuery', 'bad q', 400, { field: 'q' }), context(), props);
    expect(response).toEqual({ status: 400, jsonBody: { error: 'bad q', code: 'invalidQuery', field: 'q' } });
    expect(trackSystemError).not.toHaveBeenCalled();
  });

  it('answers a backend failure with 503 and Retry-After, and tracks it in the invocation’s operation', () => {
    const error = new SystemError('backendUnavailable', 'down');
    const response = errorResponse(error, context(), props);
    expect(response).toEqual({
      status: 503,
      headers: { 'Retry-After': '5' },
      jsonBody: {
        error: 'The durable backend is unavailable or failed; retry later.',
        code: 'backendUnavailable',
        ...props,
      },
    });
    expect(trackSystemError).toHaveBeenCalledWith(error, props, traceContext);
  });

  it('answers anything else with a 500 JSON error, and tracks it', () => {
    const response = errorResponse('thrown string', context(), props);
    expect(response).toEqual({ status: 500, jsonBody: { error: 'Internal error.', code: 'internal', ...props } });
    expect(jest.mocked(trackSystemError).mock.calls[0]![0]).toEqual(new Error('thrown string'));
  });

  it('logs the failure and its stack but not its cause, which may quote backend data', () => {
    const lines: string[] = [];
    const logging = new InvocationContext({
      functionName: 'f',
      invocationId: 'i',
      // As the programming model formats a log call for the host.
      logHandler: (_level, ...args) => lines.push(format(...args)),
    });
    const cause = new Error('Details: [{"input":{"secret":"in-the-list"}}]');
    errorResponse(new SystemError('backendUnavailable', 'Could not start instance', { cause }), logging, props);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('SystemError: Could not start instance');
    expect(lines[0]).not.toContain('in-the-list');
  });
});
