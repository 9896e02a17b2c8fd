/**
 * The URLs the Durable extension hands out: the `durableClient` binding payload (§2) and the check-status payload of
 * the management API (§4), both pointing at this host's webhook base `/runtime/webhooks/durabletask`.
 */

export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask';
/** The local host does not enforce keys (like `func start`); a fixed value keeps the URLs in the expected shape. */
export const LOCAL_SYSTEM_KEY = 'local-host-key';
export const CONNECTION_NAME = 'Storage';

export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

export function managementUrls(origin: string, taskHub: string, instanceId: string): ManagementUrls {
  const base = `${origin}${WEBHOOK_PATH}/instances/${instanceId}`;
  const query = `taskHub=${encodeURIComponent(taskHub)}&connection=${CONNECTION_NAME}&code=${LOCAL_SYSTEM_KEY}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${base}?${query}`,
    sendEventPostUri: `${base}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${base}/terminate?reason={text}&${query}`,
    rewindPostUri: `${base}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${base}?${query}`,
    restartPostUri: `${base}/restart?${query}`,
    suspendPostUri: `${base}/suspend?reason={text}&${query}`,
    resumePostUri: `${base}/resume?reason={text}&${query}`,
  };
}

/** The extension's own check-status body (it leaves out `rewindPostUri`). */
export function checkStatusBody(
  origin: string,
  taskHub: string,
  instanceId: string,
): Omit<ManagementUrls, 'rewindPostUri'> {
  const { rewindPostUri: _omitted, ...rest } = managementUrls(origin, taskHub, instanceId);
  return rest;
}

/** JSON text of `OrchestrationClientInputData` for the `durableClient` binding. */
export function clientBindingJson(origin: string, taskHub: string, rpcBaseUrl: string): string {
  const base = `${origin}${WEBHOOK_PATH}`;
  return JSON.stringify({
    taskHubName: taskHub,
    connectionName: null,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?code=${LOCAL_SYSTEM_KEY}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${LOCAL_SYSTEM_KEY}`,
    },
    managementUrls: managementUrls(origin, taskHub, 'INSTANCEID'),
    baseUrl: base,
    requiredQueryStringParameters: `code=${LOCAL_SYSTEM_KEY}`,
    rpcBaseUrl: rpcBaseUrl.endsWith('/') ? rpcBaseUrl : `${rpcBaseUrl}/`,
    httpBaseUrl: null,
  });
}
