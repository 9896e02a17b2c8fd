jest.mock('@azure/functions-core', () => jest.requireActual('../../fixtures/appCore').fakeCore, { virtual: true });

import { InvocationContext } from '@azure/functions';
import { PurgeHistory, createPurgeHistory } from '../../../activities/PurgeHistory';
import { registered } from '../../fixtures/appCore';

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

  it('purges Completed, Failed and Terminated instances created before the cutoff', async () => {
    const purgeInstanceHistoryBy = jest.fn(() => Promise.resolve({ instancesDeleted: 4 }));
    const handler = createPurgeHistory({ getClient: () => ({ purgeInstanceHistoryBy }) });

    await expect(handler({ createdTimeTo: '2026-03-01T00:00:00.000Z' }, context())).resolves.toEqual({
      instancesDeleted: 4,
    });
    expect(purgeInstanceHistoryBy).toHaveBeenCalledWith({
      createdTimeFrom: new Date(0),
      createdTimeTo: new Date('2026-03-01T00:00:00.000Z'),
      runtimeStatus: ['Completed', 'Failed', 'Terminated'],
    });
  });

  it('refuses an input without a valid cutoff date', async () => {
    const handler = createPurgeHistory({ getClient: () => ({ purgeInstanceHistoryBy: jest.fn() }) });
    await expect(handler({ createdTimeTo: 'soon' }, context())).rejects.toThrow(
      'PurgeHistory expects { createdTimeTo: ISO date }, received object.',
    );
  });

  it('lets a client failure fail the activity', async () => {
    const handler = createPurgeHistory({
      getClient: () => ({ purgeInstanceHistoryBy: async () => Promise.reject(new Error('HTTP 500')) }),
    });
    await expect(handler({ createdTimeTo: '2026-03-01T00:00:00.000Z' }, context())).rejects.toThrow('HTTP 500');
  });
});
