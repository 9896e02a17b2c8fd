import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as df from 'durable-functions';
import {
  WITHOUT_INPUT,
  failureWithoutData,
  getStatusOrUndefined,
  isDuplicateStartError,
  isNotFoundError,
  statusFromDuplicateStartError,
} from '../../../lib/durableStatus';
import { SystemError } from '../../../lib/errors';
import { duplicateStartError, notFoundStatusError } from '../../support/fakeDurableClient';
import { bindingData, contextWith } from '../../support/durableClientBinding';

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

describe('WITHOUT_INPUT', () => {
  /** The query of each status request the real durable client sends to its RPC endpoint for `options`. */
  async function statusQueries(options: df.GetStatusOptions): Promise<string[]> {
    const queries: string[] = [];
    const server = createServer((req, res) => {
      queries.push(new URL(req.url ?? '/', 'http://rpc').search);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name: 'Counter',
          instanceId: 'a',
          runtimeStatus: 'Running',
          input: null,
          output: null,
          customStatus: null,
          history: [],
          createdTime: '2026-01-01T00:00:00Z',
          lastUpdatedTime: '2026-01-01T00:00:00Z',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const client = df.getClient(
        contextWith(bindingData('http://a.example', `http://127.0.0.1:${port}/durabletask/`)),
      );
      await getStatusOrUndefined(client, 'a', options);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    return queries;
  }

  it('reaches the extension as showInput=false through the durable client', async () => {
    expect(await statusQueries(WITHOUT_INPUT)).toEqual(['?showInput=false']);
  });

  // If this fails, durable-functions now sends a boolean false and WITHOUT_INPUT can be `{ showInput: false }`.
  it('is needed: the durable client leaves a boolean showInput: false out of its RPC URL', async () => {
    expect(await statusQueries({ showInput: false })).toEqual(['']);
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
