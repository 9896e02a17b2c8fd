import { HostStartError, resolveDurableTaskSettings } from '../../src/host';
import type { HostJson } from '../../src/contracts';

const hostJson = (durableTask: Record<string, unknown>): HostJson => ({ version: '2.0', extensions: { durableTask } });

describe('resolveDurableTaskSettings', () => {
  it('resolves %Name% references in durableTask from the app settings, nested ones too', () => {
    const resolved = resolveDurableTaskSettings(
      hostJson({ hubName: '%TaskHubName%', storageProvider: { connectionName: '%Conn%', partitionCount: 4 } }),
      { TaskHubName: 'SlotA', Conn: 'AzureWebJobsStorage' },
    );
    expect(resolved.extensions?.durableTask).toEqual({
      hubName: 'SlotA',
      storageProvider: { connectionName: 'AzureWebJobsStorage', partitionCount: 4 },
    });
  });

  it('stops the start naming the setting when a referenced app setting is not set', () => {
    const start = () => resolveDurableTaskSettings(hostJson({ hubName: '%TaskHubName%' }), {});
    expect(start).toThrow(HostStartError);
    expect(start).toThrow(
      'host.json extensions.durableTask.hubName refers to the app setting %TaskHubName%, which is not set',
    );
  });
});
