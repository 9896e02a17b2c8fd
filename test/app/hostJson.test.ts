/** host.json names the task hub through an app setting, which the example local settings give. */
import type { HostJson } from 'durable-local-host';
import { resolveDurableTaskSettings } from 'durable-local-host';

describe('host.json task hub', () => {
  it("names the app's task hub through the TaskHubName setting of its example local settings", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- JSON fixtures of the project itself
    const appHostJson = require('../../host.json') as HostJson;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const example = require('../../local.settings.example.json') as { Values: Record<string, string> };
    expect(appHostJson.extensions?.durableTask?.hubName).toBe('%TaskHubName%');
    expect(resolveDurableTaskSettings(appHostJson, example.Values).extensions?.durableTask?.hubName).toBe(
      'DurableSingletons',
    );
  });
});
