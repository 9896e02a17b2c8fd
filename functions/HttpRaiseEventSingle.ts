/**
 * HttpRaiseEventSingle — `POST /api/orchestrators/{functionName}/{instanceId}/events/{eventName}`: raises an event on
 * a running singleton, but only one its orchestrator waits for, with a payload it accepts. The extension's own
 * `sendEventPostUri` takes any name and answers 202 for an event nobody will ever consume; here an unknown name is a
 * 404 listing the known ones, and a bad payload a 400, before anything is raised.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { parseEventName, parseEventPayload, parseOrchestratorName } from '../lib/catalog';
import type { ClientProvider } from '../lib/durableClientPort';
import { managementUrlsFor } from '../lib/durableClientPort';
import { backendError, isNotFoundError } from '../lib/durableStatus';
import { UserError } from '../lib/errors';
import { errorResponse } from '../lib/httpErrors';
import { parseInstanceId } from '../lib/instanceId';
import { findOwnedInstance, instanceNotFound } from '../lib/instanceLookup';
import { readJsonBody } from '../lib/requestBody';
import { SINGLETON_EVENTS_ROUTE, registerSingletonRoute } from '../lib/routes';
import { isTerminalStatus } from '../lib/runtimeStatus';

export const HttpRaiseEventSingle = 'HttpRaiseEventSingle';

export async function handleRaiseEvent(
  request: HttpRequest,
  context: InvocationContext,
  getClient: ClientProvider,
): Promise<HttpResponseInit> {
  const rawName = request.params.functionName ?? '';
  const rawId = request.params.instanceId ?? '';
  try {
    const name = parseOrchestratorName(rawName);
    const instanceId = parseInstanceId(rawId);
    const eventName = parseEventName(name, request.params.eventName);
    const payload = parseEventPayload(name, eventName, await readJsonBody(request));
    const client = getClient();

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
  } catch (err) {
    return errorResponse(err, context, { instanceId: rawId, name: rawName });
  }
}

export const httpRaiseEventSingle = registerSingletonRoute(
  HttpRaiseEventSingle,
  'POST',
  handleRaiseEvent,
  SINGLETON_EVENTS_ROUTE,
);
