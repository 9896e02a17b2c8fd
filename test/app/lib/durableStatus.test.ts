import {
  failureWithoutData,
  getStatusOrUndefined,
  isDuplicateStartError,
  isNotFoundError,
  statusFromDuplicateStartError,
} from '../../../lib/durableStatus';
import { SystemError } from '../../../lib/errors';
import { duplicateStartError, notFoundStatusError } from '../../fixtures/appClient';

const reader = (impl: () => Promise<any>) => ({ getStatus: jest.fn(impl) });

describe('getStatusOrUndefined', () => {
  it('returns the status the client reads', async () => {
    const status = { name: 'Counter', runtimeStatus: 'Running' };
    await expect(
      getStatusOrUndefined(
        reader(() => Promise.resolve(status)),
        'a',
      ),
    ).resolves.toBe(status);
  });

  it("turns the client's HTTP 404 throw into undefined", async () => {
    await expect(
      getStatusOrUndefined(
        reader(async () => Promise.reject(notFoundStatusError('a'))),
        'a',
      ),
    ).resolves.toBeUndefined();
  });

  it('lets any other failure through as a backend SystemError keeping the cause', async () => {
    const cause = new Error('The operation failed with an unexpected status code: 500. Details: ""');
    const error = await getStatusOrUndefined(
      reader(async () => Promise.reject(cause)),
      'a',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SystemError);
    expect(error).toMatchObject({ code: 'backendUnavailable', isUserError: false, cause });
    expect((error as Error).message).toBe(
      "Could not read the status of instance 'a': The operation failed with an unexpected status code: 500.",
    );
  });
});

describe('failureWithoutData', () => {
  it.each([
    [
      'The operation failed with an unexpected status code: 500. Details: [{"input":"x"}]',
      'The operation failed with an unexpected status code: 500.',
    ],
    [
      'DurableClient error: could not construct a DurableOrchestrationStatus object using the data received from the Durable Functions extension: Failed to construct a DurableOrchestrationStatus object because the initializer had invalid types or missing fields. Initializer received: [{"input":"x"}]',
      'DurableClient error: could not construct a DurableOrchestrationStatus object using the data received from the Durable Functions extension',
    ],
    ['connect ECONNREFUSED 127.0.0.1:1', 'connect ECONNREFUSED 127.0.0.1:1'],
  ])('keeps %p without the data it quotes', (message, kept) => {
    expect(failureWithoutData(message)).toBe(kept);
  });

  it('caps what it keeps at 200 characters', () => {
    expect(failureWithoutData('x'.repeat(500))).toBe(`${'x'.repeat(200)}…`);
  });
});

describe('isDuplicateStartError', () => {
  it('recognises the backend refusal of a duplicate start and the status it names', () => {
    expect(isDuplicateStartError(duplicateStartError('Pending'))).toBe(true);
    expect(statusFromDuplicateStartError(duplicateStartError('Pending'))).toBe('Pending');
  });

  it('does not mistake other failures for a duplicate', () => {
    expect(
      isDuplicateStartError(new Error('The operation failed with an unexpected status code: 500. Details: {}')),
    ).toBe(false);
    expect(statusFromDuplicateStartError(new Error('boom'))).toBeUndefined();
  });
});

describe('isNotFoundError', () => {
  it('recognises the not-found errors of raiseEvent/terminate and getStatus', () => {
    expect(isNotFoundError(new Error("No instance with ID 'a' found."))).toBe(true);
    expect(isNotFoundError(notFoundStatusError('a'))).toBe(true);
    expect(isNotFoundError(new Error('timeout'))).toBe(false);
  });
});
