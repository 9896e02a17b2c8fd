/**
 * HttpStartSingle — `POST /api/orchestrators/{functionName}/{instanceId}`: starts a singleton orchestration only if
 * no active instance has that ID. The answer is decided by `decideStart` on the observed status; a `startNew` the
 * backend refuses (host.json `overridableExistingInstanceStates: NonRunningStates`) is answered 409 like any other
 * conflict. The backend's refusal alone does not close the race — on the Azure Storage provider two concurrent starts
 * can both be accepted — so every start carries a start token and is answered 202 only if the instance read back
 * after `startNew` runs with that token (`lib/startToken.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import { parseStartInput } from '../lib/catalog';
import type { OrchestratorName } from '../lib/catalog';
import type { DurableClientPort } from '../lib/durableClientPort';
import { checkStatusResponse, managementUrlsFor } from '../lib/durableClientPort';
import {
  backendError,
  getStatusOrUndefined,
  isDuplicateStartError,
  statusFromDuplicateStartError,
} from '../lib/durableStatus';
import { errorCode } from '../lib/errors';
import type { ErrorCode } from '../lib/errors';
import { parseOnConflict } from '../lib/queryParams';
import { readJsonBody } from '../lib/requestBody';
import { registerSingletonRoute, singletonHandler } from '../lib/routes';
import type { RawSingletonParams, SingletonCall } from '../lib/routes';
import { decideStart } from '../lib/startDecision';
import type { OnConflict } from '../lib/startDecision';
import { startTokenOf, withStartToken } from '../lib/startToken';
import { trackStartDecision } from '../lib/telemetry';

export const HttpStartSingle = 'HttpStartSingle';

/**
 * Test seam: `SINGLETON_START_READBACK=off` answers 202 whenever `startNew` returns, without reading back — only so a
 * control test can show the race the read-back closes. Never set it in an app.
 */
const readBackEnabled = (): boolean => process.env.SINGLETON_START_READBACK !== 'off';

/** Reads the instance back after our `startNew`; a start is confirmed once a status is visible (a few short tries). */
async function readBack(client: DurableClientPort, instanceId: string): Promise<DurableOrchestrationStatus> {
  for (let attempt = 1; ; attempt += 1) {
    const status = await getStatusOrUndefined(client, instanceId);
    if (status !== undefined) return status;
    if (attempt === 3) {
      throw backendError('start', instanceId, new Error('the instance was not visible after startNew returned'));
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

function conflictResponse(
  context: InvocationContext,
  instanceId: string,
  name: string,
  runtimeStatus: string,
): HttpResponseInit {
  trackStartDecision({ decision: 'conflict', instanceId, name, runtimeStatus }, context.traceContext);
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

/** The start's own request parts: `?onConflict=` and the orchestrator's input from the body. */
interface StartParts {
  onConflict: OnConflict;
  input: unknown;
}

/** A start after the shared prologue. */
type StartCall = SingletonCall<StartParts>;

async function parseStart(request: HttpRequest, name: OrchestratorName): Promise<StartParts> {
  const onConflict = parseOnConflict(request.query.get('onConflict'));
  const input = parseStartInput(name, await readJsonBody(request));
  return { onConflict, input };
}

/** 200 with the running instance's management payload, its URLs on the caller's origin as in the 202 answer. */
async function existingResponse(
  { request, context, client, instanceId, name }: StartCall,
  runtimeStatus: string,
): Promise<HttpResponseInit> {
  trackStartDecision({ decision: 'existing', instanceId, name, runtimeStatus }, context.traceContext);
  return {
    status: 200,
    jsonBody: { ...(await managementUrlsFor(client, request, instanceId, name)), name, runtimeStatus },
  };
}

/**
 * Someone else's start owns the instance: 200 with its payload for `useExisting` when it runs the same orchestrator,
 * else 409 — whether the backend refused our `startNew` or accepted it and ran another start's execution.
 */
function answerConflict(
  call: StartCall,
  owner: { name: string; runtimeStatus: string },
): Promise<HttpResponseInit> | HttpResponseInit {
  if (call.onConflict === 'useExisting' && owner.name === call.name) {
    return existingResponse(call, owner.runtimeStatus);
  }
  return conflictResponse(call.context, call.instanceId, owner.name, owner.runtimeStatus);
}

/** The backend refused the start: someone else started this ID after our pre-check. Re-read who it is. */
async function answerRefusedStart(call: StartCall, refusal: unknown): Promise<HttpResponseInit> {
  let current: DurableOrchestrationStatus | undefined;
  try {
    current = await getStatusOrUndefined(call.client, call.instanceId);
  } catch {
    current = undefined; // the refusal itself already says enough to answer 409
  }
  return answerConflict(call, {
    name: current?.name ?? call.name,
    runtimeStatus: current?.runtimeStatus ?? statusFromDuplicateStartError(refusal) ?? 'Running',
  });
}

async function start(call: StartCall): Promise<HttpResponseInit> {
  const { request, context, client, name, instanceId, onConflict, input } = call;
  const existing = await getStatusOrUndefined(client, instanceId);
  const decision = decideStart(existing, name, onConflict);
  if (decision.kind === 'conflict') {
    return conflictResponse(context, instanceId, decision.name, decision.runtimeStatus);
  }
  if (decision.kind === 'useExisting') {
    return await existingResponse(call, decision.runtimeStatus);
  }

  const token = randomUUID();
  try {
    await client.startNew(name, { instanceId, input: withStartToken(input, token) });
  } catch (err) {
    if (isDuplicateStartError(err)) {
      return await answerRefusedStart(call, err);
    }
    throw backendError('start', instanceId, err);
  }
  if (readBackEnabled()) {
    const current = await readBack(client, instanceId);
    // Our startNew returned, but another start's execution is the one that runs: answered as any conflict.
    if (startTokenOf(current.input) !== token) {
      return await answerConflict(call, current);
    }
  }

  const urls = await managementUrlsFor(client, request, instanceId, name);
  if (decision.kind === 'start') {
    trackStartDecision({ decision: 'started', instanceId, name }, context.traceContext);
    return checkStatusResponse(urls);
  }
  trackStartDecision(
    { decision: 'restarted', instanceId, name, previousStatus: decision.previousStatus },
    context.traceContext,
  );
  return checkStatusResponse(urls, {
    restarted: { previousStatus: decision.previousStatus, previousName: decision.previousName },
  });
}

/** Every refused or failed start is recorded as `rejected`, with the route parameters as sent. */
function trackRejected(err: unknown, raw: RawSingletonParams, context: InvocationContext): void {
  trackStartDecision(
    { decision: 'rejected', instanceId: raw.instanceId, name: raw.name, reason: errorCode(err) },
    context.traceContext,
  );
}

/** The POST handler: the shared prologue, then the start; `(request, context, getClient)`. */
export const handleStart = singletonHandler({ parse: parseStart, handle: start, onError: trackRejected });

export const httpStartSingle = registerSingletonRoute(HttpStartSingle, 'POST', handleStart);
