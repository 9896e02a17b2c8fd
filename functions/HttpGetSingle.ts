/**
 * HttpGetSingle — `GET /api/orchestrators/{functionName}/{instanceId}`: the status of a singleton instance (200),
 * 404 when unknown, 409 when the ID belongs to another orchestrator.
 */
import { app } from '@azure/functions';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { parseOrchestratorName } from '../lib/catalog';
import { bindingClientProvider } from '../lib/durableClientPort';
import type { ClientProvider } from '../lib/durableClientPort';
import { errorResponse } from '../lib/httpErrors';
import { parseInstanceId } from '../lib/instanceId';
import { findOwnedInstance, statusBody } from '../lib/instanceLookup';
import { SINGLETON_ROUTE } from '../lib/routes';

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

export async function httpGetSingle(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handleGet(request, context, bindingClientProvider(context));
}

app.http(HttpGetSingle, {
  route: SINGLETON_ROUTE,
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: httpGetSingle,
});
