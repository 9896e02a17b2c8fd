/**
 * HttpStopSingle — `DELETE /api/orchestrators/{functionName}/{instanceId}[?timeoutSeconds=N]`: graceful stop.
 * Raises `stop`, which every eternal orchestrator honours at its next iteration (finish the step, clean up,
 * complete). Without `timeoutSeconds` it answers 202 at once; with it, it waits up to N seconds for a terminal state
 * and then terminates the instance as the last resort, saying so in the answer. A Suspended instance cannot honour a
 * stop until it is resumed, so a plain DELETE answers 409 and says what to do rather than "stopping" for ever.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { OrchestrationRuntimeStatus } from 'durable-functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import { parseOrchestratorName } from '../lib/catalog';
import type { ClientProvider, DurableClientPort } from '../lib/durableClientPort';
import { managementUrlsFor } from '../lib/durableClientPort';
import { backendError, getStatusOrUndefined, isNotFoundError } from '../lib/durableStatus';
import { STOP_EVENT } from '../lib/eternal';
import { UserError } from '../lib/errors';
import { errorResponse } from '../lib/httpErrors';
import { parseInstanceId } from '../lib/instanceId';
import { findOwnedInstance, instanceNotFound } from '../lib/instanceLookup';
import { parseTimeoutSeconds } from '../lib/queryParams';
import { registerSingletonRoute } from '../lib/routes';
import { isTerminalStatus } from '../lib/runtimeStatus';

export const HttpStopSingle = 'HttpStopSingle';

/** Real time by default; tests pass a virtual clock. */
export interface StopTiming {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTiming: StopTiming = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const POLL_INTERVAL_MS = 250;
/** How long to wait, after terminating, for the instance to show Terminated before answering 202 instead. */
export const TERMINATE_GRACE_MS = 5_000;

interface Polled {
  status: DurableOrchestrationStatus | undefined;
  terminal: boolean;
}

/** Polls until the instance is terminal (or gone) or `deadline` passes; returns the last status seen. */
async function pollUntilTerminal(
  client: DurableClientPort,
  instanceId: string,
  deadline: number,
  timing: StopTiming,
): Promise<Polled> {
  for (;;) {
    const status = await getStatusOrUndefined(client, instanceId);
    if (status === undefined || isTerminalStatus(status.runtimeStatus)) {
      return { status, terminal: true };
    }
    const remaining = deadline - timing.now();
    if (remaining <= 0) {
      return { status, terminal: false };
    }
    await timing.sleep(Math.min(POLL_INTERVAL_MS, remaining));
  }
}

function stoppedBody(instanceId: string, name: string, status: DurableOrchestrationStatus | undefined) {
  return {
    instanceId,
    name,
    runtimeStatus: status?.runtimeStatus ?? 'Completed',
    stopped: true,
    output: status?.output ?? null,
  };
}

/** Nothing is raised: a stop queued behind a suspension would end the instance by surprise once someone resumes it. */
function suspendedConflict(instanceId: string, name: string, resumePostUri: string): UserError {
  return new UserError(
    'instanceSuspended',
    `Instance '${instanceId}' is Suspended and cannot stop until it is resumed: resume it (resumePostUri) and DELETE again, or DELETE with ?timeoutSeconds=N to terminate it after N seconds.`,
    409,
    { instanceId, name, runtimeStatus: 'Suspended', resumePostUri },
  );
}

export async function handleStop(
  request: HttpRequest,
  context: InvocationContext,
  getClient: ClientProvider,
  timing: StopTiming = realTiming,
): Promise<HttpResponseInit> {
  const rawName = request.params.functionName ?? '';
  const rawId = request.params.instanceId ?? '';
  try {
    const name = parseOrchestratorName(rawName);
    const instanceId = parseInstanceId(rawId);
    const timeoutSeconds = parseTimeoutSeconds(request.query.get('timeoutSeconds'));
    const client = getClient();
    const started = timing.now();

    const current = await findOwnedInstance(client, instanceId, name);
    if (isTerminalStatus(current.runtimeStatus)) {
      return { status: 200, jsonBody: stoppedBody(instanceId, name, current) };
    }

    if (current.runtimeStatus === OrchestrationRuntimeStatus.Suspended && timeoutSeconds === undefined) {
      throw suspendedConflict(instanceId, name, (await managementUrlsFor(client, request, instanceId)).resumePostUri);
    }

    try {
      // Accepted for Pending (and, with a timeout, Suspended) instances too: the event waits until the orchestrator runs.
      await client.raiseEvent(instanceId, STOP_EVENT, null);
    } catch (err) {
      throw isNotFoundError(err) ? instanceNotFound(instanceId) : backendError('raise stop on', instanceId, err);
    }

    const { statusQueryGetUri } = await managementUrlsFor(client, request, instanceId);
    if (timeoutSeconds === undefined) {
      return {
        status: 202,
        headers: { Location: statusQueryGetUri, 'Retry-After': '5' },
        jsonBody: { instanceId, name, runtimeStatus: current.runtimeStatus, stopping: true, statusQueryGetUri },
      };
    }

    const graceful = await pollUntilTerminal(client, instanceId, started + timeoutSeconds * 1000, timing);
    if (graceful.terminal) {
      return { status: 200, jsonBody: stoppedBody(instanceId, name, graceful.status) };
    }

    const reason = `Graceful stop timed out after ${timeoutSeconds}s`;
    try {
      await client.terminate(instanceId, reason);
    } catch (err) {
      if (!isNotFoundError(err)) throw backendError('terminate', instanceId, err);
    }
    const forced = await pollUntilTerminal(client, instanceId, timing.now() + TERMINATE_GRACE_MS, timing);
    const runtimeStatus: string = forced.status?.runtimeStatus ?? graceful.status?.runtimeStatus ?? 'Running';
    if (!forced.terminal) {
      return {
        status: 202,
        headers: { Location: statusQueryGetUri, 'Retry-After': '5' },
        jsonBody: { instanceId, name, runtimeStatus, terminating: true, reason, statusQueryGetUri },
      };
    }
    if (runtimeStatus === 'Terminated') {
      return { status: 200, jsonBody: { instanceId, name, runtimeStatus, terminated: true, reason } };
    }
    // It finished on its own between the deadline and the terminate call.
    return { status: 200, jsonBody: stoppedBody(instanceId, name, forced.status) };
  } catch (err) {
    return errorResponse(err, context, { instanceId: rawId, name: rawName });
  }
}

export const httpStopSingle = registerSingletonRoute(HttpStopSingle, 'DELETE', handleStop);
