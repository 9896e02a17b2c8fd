import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { bindingClientProvider } from '../../../lib/durableClientPort';
import { SystemError } from '../../../lib/errors';

function bindingData(origin: string): Record<string, unknown> {
  const status = `${origin}/runtime/webhooks/durabletask/instances/INSTANCEID?taskHub=H&connection=Storage&code=K`;
  return {
    taskHubName: 'H',
    connectionName: null,
    creationUrls: {
      createNewInstancePostUri: `${origin}/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]`,
      createAndWaitOnNewInstancePostUri: `${origin}/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}`,
    },
    managementUrls: { id: 'INSTANCEID', statusQueryGetUri: status, purgeHistoryDeleteUri: status },
    baseUrl: `${origin}/runtime/webhooks/durabletask`,
    requiredQueryStringParameters: 'code=K',
    rpcBaseUrl: 'http://127.0.0.1:17071/durabletask/',
    httpBaseUrl: null,
  };
}

function contextWith(data: unknown): InvocationContext {
  const input = df.input.durableClient();
  const context = new InvocationContext({ options: { extraInputs: [input] } });
  context.extraInputs.set(input, data);
  return context;
}

describe('bindingClientProvider', () => {
  it('reuses one client for invocations with the same binding data', () => {
    const first = bindingClientProvider(contextWith(bindingData('http://a.example')))();
    const second = bindingClientProvider(contextWith(bindingData('http://a.example')))();
    expect(second).toBe(first);
    expect(first).toHaveProperty('taskHubName', 'H');
  });

  it('builds a separate client for different binding data', () => {
    const a = bindingClientProvider(contextWith(bindingData('http://a.example')))();
    const b = bindingClientProvider(contextWith(bindingData('http://b.example')))();
    expect(b).not.toBe(a);
  });

  it('reports a missing binding as a system error', () => {
    const provide = bindingClientProvider(new InvocationContext());
    expect(provide).toThrow(SystemError);
    expect(provide).toThrow('The durable client binding is not available.');
  });
});
