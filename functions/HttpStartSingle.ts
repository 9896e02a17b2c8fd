/**
 * HttpStartSingle — `POST /api/orchestrators/{functionName}/{instanceId}`: starts a singleton orchestration only if
 * no active instance has that ID. The answer is decided by `decideStart` on the observed status, and the backend's
 * own atomic dedupe (host.json `overridableExistingInstanceStates: NonRunningStates`) closes the race: a refused
 * `startNew` is answered 409 like any other conflict.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import { parseOrchestratorName, parseStartInput } from '../lib/catalog';
import type { ClientProvider, DurableClientPort } from '../lib/durableClientPort';
import {
  backendError,
  getStatusOrUndefined,
  isDuplicateStartError,
  statusFromDuplicateStartError,
} from '../lib/durableStatus';
import { errorCode } from '../lib/errors';
import type { ErrorCode } from '../lib/errors';
import { errorResponse } from '../lib/httpErrors';
import { parseInstanceId } from '../lib/instanceId';
import { parseOnConflict } from '../lib/queryParams';
import { readJsonBody } from '../lib/requestBody';
import { registerSingletonRoute } from '../lib/routes';
import { decideStart } from '../lib/startDecision';
import type { OnConflict } from '../lib/startDecision';
import { trackStartDecision } from '../lib/telemetry';

export const HttpStartSingle = 'HttpStartSingle';

function conflictResponse(instanceId: string, name: string, runtimeStatus: string): HttpResponseInit {
  trackStartDecision({ decision: 'conflict', instanceId, name, runtimeStatus });
  return {
    status: 409,
    jsonBody: {
      error: `An instance with ID '${instanceId}' already exists.`,
      code: 'instanceExists' satisfies ErrorCode,
      instanceId,
      name,
      runtimeStatus,
    },
  };
}

function existingResponse(
  client: DurableClientPort,
  instanceId: string,
  name: string,
  runtimeStatus: string,
): HttpResponseInit {
  trackStartDecision({ decision: 'existing', instanceId, name, runtimeStatus });
  return { status: 200, jsonBody: { ...client.createHttpManagementPayload(instanceId), name, runtimeStatus } };
}

/** The backend refused the start: someone else started this ID after our pre-check. Re-read who it is. */
async function answerRefusedStart(
  client: DurableClientPort,
  instanceId: string,
  name: string,
  onConflict: OnConflict,
  refusal: unknown,
): Promise<HttpResponseInit> {
  let current: DurableOrchestrationStatus | undefined;
  try {
    current = await getStatusOrUndefined(client, instanceId);
  } catch {
    current = undefined; // the refusal itself already says enough to answer 409
  }
  const runtimeStatus = current?.runtimeStatus ?? statusFromDuplicateStartError(refusal) ?? 'Running';
  const ownerName = current?.name ?? name;
  if (onConflict === 'useExisting' && ownerName === name) {
    return existingResponse(client, instanceId, name, runtimeStatus);
  }
  return conflictResponse(instanceId, ownerName, runtimeStatus);
}

export async function handleStart(
  request: HttpRequest,
  context: InvocationContext,
  getClient: ClientProvider,
): Promise<HttpResponseInit> {
  const rawName = request.params.functionName ?? '';
  const rawId = request.params.instanceId ?? '';
  try {
    const name = parseOrchestratorName(rawName);
    const instanceId = parseInstanceId(rawId);
    const onConflict = parseOnConflict(request.query.get('onConflict'));
    const input = parseStartInput(name, await readJsonBody(request));
    const client = getClient();

    const existing = await getStatusOrUndefined(client, instanceId);
    const decision = decideStart(existing, name, onConflict);
    if (decision.kind === 'conflict') {
      return conflictResponse(instanceId, decision.name, decision.runtimeStatus);
    }
    if (decision.kind === 'useExisting') {
      return existingResponse(client, instanceId, name, decision.runtimeStatus);
    }

    try {
      await client.startNew(name, { instanceId, input });
    } catch (err) {
      if (isDuplicateStartError(err)) {
        return await answerRefusedStart(client, instanceId, name, onConflict, err);
      }
      throw backendError('start', instanceId, err);
    }

    const checkStatus = client.createCheckStatusResponse(request, instanceId);
    if (decision.kind === 'start') {
      trackStartDecision({ decision: 'started', instanceId, name });
      return checkStatus;
    }
    trackStartDecision({ decision: 'restarted', instanceId, name, previousStatus: decision.previousStatus });
    const payload = (await checkStatus.json()) as Record<string, unknown>;
    return {
      status: checkStatus.status,
      headers: Object.fromEntries(checkStatus.headers.entries()),
      jsonBody: { ...payload, restarted: { previousStatus: decision.previousStatus } },
    };
  } catch (err) {
    trackStartDecision({ decision: 'rejected', instanceId: rawId, name: rawName, reason: errorCode(err) });
    return errorResponse(err, context, { instanceId: rawId, name: rawName });
  }
}

export const httpStartSingle = registerSingletonRoute(HttpStartSingle, 'POST', handleStart);
