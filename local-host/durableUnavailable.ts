/**
 * A durable service for a host built without the durable engine: management and RPC paths answer 503 with a JSON
 * error, so an app's HTTP functions still run and durable calls fail with a clear message.
 */

import type { DurableService, HostHttpResponse } from './contracts';

export function createUnavailableDurableService(hubName: string): DurableService {
  const unavailable = (): HostHttpResponse => ({
    status: 503,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: 'The durable engine is not available in this local host' }),
  });
  return {
    clientBindingJson(origin: string): string {
      const base = `${origin}/runtime/webhooks/durabletask`;
      const query = `taskHub=${hubName}&connection=Storage`;
      const instance = `${base}/instances/INSTANCEID`;
      return JSON.stringify({
        taskHubName: hubName,
        connectionName: null,
        creationUrls: {
          createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]`,
          createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
        },
        managementUrls: {
          id: 'INSTANCEID',
          statusQueryGetUri: `${instance}?${query}`,
          sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
          terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
          rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
          purgeHistoryDeleteUri: `${instance}?${query}`,
          restartPostUri: `${instance}/restart?${query}`,
          suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
          resumePostUri: `${instance}/resume?reason={text}&${query}`,
        },
        baseUrl: base,
        requiredQueryStringParameters: '',
        rpcBaseUrl: null,
        httpBaseUrl: null,
      });
    },
    handleHttp(req) {
      const path = req.url.pathname.toLowerCase();
      const ours = path.startsWith('/runtime/webhooks/durabletask/') || path.startsWith('/durabletask/');
      return Promise.resolve(ours ? unavailable() : undefined);
    },
    advanceTime() {
      return Promise.resolve();
    },
    whenIdle() {
      return Promise.resolve();
    },
    dispose() {
      return Promise.resolve();
    },
  };
}
