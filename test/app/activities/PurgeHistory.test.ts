jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});

import { InvocationContext } from '@azure/functions';
import { PurgeHistory, createPurgeHistory } from '../../../activities/PurgeHistory';
import { registered } from '../../support/fakeFunctionsCore';

const context = () =>
  new InvocationContext({ functionName: PurgeHistory, invocationId: 't', logHandler: () => undefined });

describe('PurgeHistory', () => {
  it('is registered as an activity with a durable client input', () => {
    expect(Object.values(registered(PurgeHistory).metadata.bindings)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'activityTrigger' }),
        expect.objectContaining({ type: 'durableClient', direction: 'in' }),
      ]),
    );
  });

  const window = { createdTimeFrom: '2026-02-28T23:00:00.000Z', createdTimeTo: '2026-03-01T00:00:00.000Z' };

  it('purges Completed, Failed and Terminated instances created in the window, and only those', async () => {
    const purgeInstanceHistoryBy = jest.fn(() => Promise.resolve({ instancesDeleted: 4 }));
    const handler = createPurgeHistory({ getClient: () => ({ purgeInstanceHistoryBy }) });

    await expect(handler(window, context())).resolves.toEqual({ instancesDeleted: 4 });
    // Without runtimeStatus the backend purges instances of every status, running ones included.
    expect(purgeInstanceHistoryBy).toHaveBeenCalledWith({
      createdTimeFrom: new Date('2026-02-28T23:00:00.000Z'),
      createdTimeTo: new Date('2026-03-01T00:00:00.000Z'),
      runtimeStatus: ['Completed', 'Failed', 'Terminated'],
    });
  });

  it.each([
    [{ createdTimeTo: '2026-03-01T00:00:00.000Z' }, 'no start'],
    [{ createdTimeFrom: 'soon', createdTimeTo: '2026-03-01T00:00:00.000Z' }, 'a start that is not a date'],
    [{ createdTimeFrom: '2026-03-01T00:00:00.000Z', createdTimeTo: '2026-03-01T00:00:00.000Z' }, 'an empty window'],
    [{ createdTimeFrom: '2026-03-02T00:00:00.000Z', createdTimeTo: '2026-03-01T00:00:00.000Z' }, 'a reversed window'],
    [{ createdTimeFrom: '2026-02-27T23:59:59.999Z', createdTimeTo: '2026-03-01T00:00:00.000Z' }, 'a window over a day'],
  ])('refuses %o (%s) without calling the backend', async (input: Record<string, string>, _reason: string) => {
    const purgeInstanceHistoryBy = jest.fn();
    const handler = createPurgeHistory({ getClient: () => ({ purgeInstanceHistoryBy }) });
    await expect(handler(input, context())).rejects.toThrow(
      'PurgeHistory expects { createdTimeFrom, createdTimeTo: ISO dates at most a day apart, in order }, received object.',
    );
    expect(purgeInstanceHistoryBy).not.toHaveBeenCalled();
  });

  it('accepts a window of exactly a day', async () => {
    const purgeInstanceHistoryBy = jest.fn(() => Promise.resolve({ instancesDeleted: 0 }));
    const handler = createPurgeHistory({ getClient: () => ({ purgeInstanceHistoryBy }) });
    const day = { createdTimeFrom: '2026-02-28T00:00:00.000Z', createdTimeTo: '2026-03-01T00:00:00.000Z' };
    await expect(handler(day, context())).resolves.toEqual({ instancesDeleted: 0 });
  });

  it('lets a client failure fail the activity', async () => {
    const handler = createPurgeHistory({
      getClient: () => ({ purgeInstanceHistoryBy: async () => Promise.reject(new Error('HTTP 500')) }),
    });
    await expect(handler(window, context())).rejects.toThrow('HTTP 500');
  });
});
