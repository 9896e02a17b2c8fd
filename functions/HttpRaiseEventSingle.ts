/**
 * HttpRaiseEventSingle — `POST /api/orchestrators/{functionName}/{instanceId}/events/{eventName}`: raises an event on
 * a running singleton, but only one its orchestrator waits for, with a payload it accepts. The extension's own
 * `sendEventPostUri` takes any name and answers 202 for an event nobody will ever consume; here an unknown name is a
 * 404 listing the known ones, and a bad payload a 400, before anything is raised.
 */
import type { HttpRequest } from '@azure/functions';
import { parseEventName, parseEventPayload } from '../lib/catalog';
import type { OrchestratorName } from '../lib/catalog';
import { managementUrlsFor } from '../lib/durableClientPort';
import { backendError, isNotFoundError } from '../lib/durableStatus';
import { UserError } from '../lib/errors';
import { findOwnedInstance, instanceNotFound } from '../lib/instanceLookup';
import { readJsonBody } from '../lib/requestBody';
import { SINGLETON_EVENTS_ROUTE, registerSingletonRoute, singletonHandler } from '../lib/routes';
import { isTerminalStatus } from '../lib/runtimeStatus';

export const HttpRaiseEventSingle = 'HttpRaiseEventSingle';

/** The event's name and payload, checked against what the orchestrator waits for. */
async function parseEvent(
  request: HttpRequest,
  name: OrchestratorName,
): Promise<{ eventName: string; payload: unknown }> {
  const eventName = parseEventName(name, request.params.eventName);
  const payload = parseEventPayload(name, eventName, await readJsonBody(request));
  return { eventName, payload };
}

/** The POST handler: the shared prologue, then the event checked and raised; `(request, context, getClient)`. */
export const handleRaiseEvent = singletonHandler({
  parse: parseEvent,
  handle: async ({ request, client, name, instanceId, eventName, payload }) => {
    const current = await findOwnedInstance(client, instanceId, name);
    if (isTerminalStatus(current.runtimeStatus)) {
      // The extension would accept the event (410, which the client reports as success) and drop it.
      throw new UserError(
        'instanceNotRunning',
        `Instance '${instanceId}' is ${current.runtimeStatus}: it takes no more events (POST the route to start it again).`,
        409,
        { instanceId, name, runtimeStatus: current.runtimeStatus },
      );
    }
    try {
      await client.raiseEvent(instanceId, eventName, payload);
    } catch (err) {
      throw isNotFoundError(err) ? instanceNotFound(instanceId) : backendError('raise an event on', instanceId, err);
    }
    const { statusQueryGetUri } = await managementUrlsFor(client, request, instanceId, name);
    return {
      status: 202,
      headers: { Location: statusQueryGetUri },
      jsonBody: { instanceId, name, eventName, raised: true, runtimeStatus: current.runtimeStatus, statusQueryGetUri },
    };
  },
});

export const httpRaiseEventSingle = registerSingletonRoute(
  HttpRaiseEventSingle,
  'POST',
  handleRaiseEvent,
  SINGLETON_EVENTS_ROUTE,
);
