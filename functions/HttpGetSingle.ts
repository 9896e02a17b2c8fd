/**
 * HttpGetSingle — `GET /api/orchestrators/{functionName}/{instanceId}`: the status of a singleton instance (200),
 * 404 when unknown, 409 when the ID belongs to another orchestrator.
 */
import { findOwnedInstance, statusBody } from '../lib/instanceLookup';
import { registerSingletonRoute, singletonHandler } from '../lib/routes';

export const HttpGetSingle = 'HttpGetSingle';

/** The GET handler: the shared prologue, then the instance's status; `(request, context, getClient)`. */
export const handleGet = singletonHandler({
  handle: async ({ client, instanceId, name }) => {
    const status = await findOwnedInstance(client, instanceId, name);
    return { status: 200, jsonBody: statusBody(status) };
  },
});

export const httpGetSingle = registerSingletonRoute(HttpGetSingle, 'GET', handleGet);
