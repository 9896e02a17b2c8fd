jest.mock('@azure/functions-core', () => jest.requireActual('../../support/fakeFunctionsCore').fakeCore, {
  virtual: true,
});
jest.mock('../../../lib/telemetry', () => ({ flushTelemetry: jest.fn(() => Promise.resolve()) }));

import '../../../functions/appHooks';
import { flushTelemetry } from '../../../lib/telemetry';
import { hooks } from '../../support/fakeFunctionsCore';

describe('appHooks', () => {
  it('registers one appTerminate hook that flushes buffered telemetry', async () => {
    const terminate = hooks.get('appTerminate') ?? [];
    expect(terminate).toHaveLength(1);
    expect(flushTelemetry).not.toHaveBeenCalled();
    await terminate[0]!({ hookData: {}, appHookData: {} });
    expect(flushTelemetry).toHaveBeenCalledTimes(1);
  });
});
