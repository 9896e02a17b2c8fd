import { checkStatusBody, clientBindingJson } from '../../src/durable/urls';

describe('clientBindingJson', () => {
  it('produces the extension payload with INSTANCEID templates and an rpcBaseUrl ending in /', () => {
    const payload: unknown = JSON.parse(
      clientBindingJson('http://localhost:7071', 'Hub', 'http://127.0.0.1:7071/durabletask'),
    );
    const base = 'http://localhost:7071/runtime/webhooks/durabletask';
    const q = 'taskHub=Hub&connection=Storage&code=local-host-key';
    expect(payload).toEqual({
      taskHubName: 'Hub',
      connectionName: null,
      creationUrls: {
        createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?code=local-host-key`,
        createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=local-host-key`,
      },
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${base}/instances/INSTANCEID?${q}`,
        sendEventPostUri: `${base}/instances/INSTANCEID/raiseEvent/{eventName}?${q}`,
        terminatePostUri: `${base}/instances/INSTANCEID/terminate?reason={text}&${q}`,
        rewindPostUri: `${base}/instances/INSTANCEID/rewind?reason={text}&${q}`,
        purgeHistoryDeleteUri: `${base}/instances/INSTANCEID?${q}`,
        restartPostUri: `${base}/instances/INSTANCEID/restart?${q}`,
        suspendPostUri: `${base}/instances/INSTANCEID/suspend?reason={text}&${q}`,
        resumePostUri: `${base}/instances/INSTANCEID/resume?reason={text}&${q}`,
      },
      baseUrl: base,
      requiredQueryStringParameters: 'code=local-host-key',
      rpcBaseUrl: 'http://127.0.0.1:7071/durabletask/',
      httpBaseUrl: null,
    });
  });
});

describe('checkStatusBody', () => {
  it('leaves out rewindPostUri like the extension', () => {
    const body = checkStatusBody('http://h:1', 'Hub', 'abc');
    expect(Object.keys(body)).toEqual([
      'id',
      'statusQueryGetUri',
      'sendEventPostUri',
      'terminatePostUri',
      'purgeHistoryDeleteUri',
      'restartPostUri',
      'suspendPostUri',
      'resumePostUri',
    ]);
    expect(body.statusQueryGetUri).toBe(
      'http://h:1/runtime/webhooks/durabletask/instances/abc?taskHub=Hub&connection=Storage&code=local-host-key',
    );
  });
});
