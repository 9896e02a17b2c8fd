/**
 * HttpGetSingle — `GET /api/orchestrators/{functionName}/{instanceId}`: the status of a singleton instance (200),
 * 404 when unknown, 409 when the ID belongs to another orchestrator.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { parseOrchestratorName } from '../lib/catalog';
import type { ClientProvider } from '../lib/durableClientPort';
import { errorResponse } from '../lib/httpErrors';
import { parseInstanceId } from '../lib/instanceId';
import { findOwnedInstance, statusBody } from '../lib/instanceLookup';
import { registerSingletonRoute } from '../lib/routes';

export const HttpGetSingle = 'HttpGetSingle';

export async function handleGet(
  request: HttpRequest,
  context: InvocationContext,
  getClient: ClientProvider,
): Promise<HttpResponseInit> {
  const rawName = request.params.functionName ?? '';
  const rawId = request.params.instanceId ?? '';
  try {
    const name = parseOrchestratorName(rawName);
    const instanceId = parseInstanceId(rawId);
    const status = await findOwnedInstance(getClient(), instanceId, name);
    return { status: 200, jsonBody: statusBody(status) };
  } catch (err) {
    return errorResponse(err, context, { instanceId: rawId, name: rawName });
  }
}

export const httpGetSingle = registerSingletonRoute(HttpGetSingle, 'GET', handleGet);
