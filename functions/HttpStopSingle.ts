/**
 * HttpStopSingle — `DELETE /api/orchestrators/{functionName}/{instanceId}[?timeoutSeconds=N]`: graceful stop.
 * Raises `stop`, which every eternal orchestrator honours at its next iteration (finish the step, clean up,
 * complete). Without `timeoutSeconds` it answers 202 at once; with it, it waits up to N seconds for a terminal state
 * and then terminates the instance as the last resort, saying so in the answer. A Suspended instance cannot honour a
 * stop until it is resumed, so a plain DELETE answers 409 and says what to do rather than "stopping" for ever.
 *
 * The whole answer, terminate fallback included, stays within Azure's 230-second HTTP limit: N is at most 200
 * (`MAX_STOP_TIMEOUT_SECONDS`) and the fallback gets `TERMINATE_GRACE_MS` after the wait's deadline, not after the
 * terminate call returns. Status reads are at least `POLL_INTERVAL_MS` apart and leave the input out.
 */
import type { HttpResponseInit } from '@azure/functions';
import { OrchestrationRuntimeStatus } from 'durable-functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import type { StatusReader } from '../lib/durableClientPort';
import { managementUrlsFor } from '../lib/durableClientPort';
import { WITHOUT_INPUT, backendError, getStatusOrUndefined, isNotFoundError } from '../lib/durableStatus';
import { STOP_EVENT } from '../lib/eternal';
import { UserError } from '../lib/errors';
import { findOwnedInstance, instanceNotFound } from '../lib/instanceLookup';
import { parseTimeoutSeconds } from '../lib/queryParams';
import { registerSingletonRoute, singletonHandler } from '../lib/routes';
import type { SingletonCall } from '../lib/routes';
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

/** The least time between two status reads of one DELETE. */
export const POLL_INTERVAL_MS = 1_000;
/** How long after the wait's deadline the instance may take to show Terminated before the answer is 202 instead. */
export const TERMINATE_GRACE_MS = 5_000;

interface Polled {
  status: DurableOrchestrationStatus | undefined;
  /** Terminal, or gone (purged) — either way it no longer runs. */
  terminal: boolean;
}

/** Reads one instance's status, without its input, never sooner than `POLL_INTERVAL_MS` after the previous read. */
class StatusPoller {
  private lastReadAt: number | undefined;

  constructor(
    private readonly client: StatusReader,
    private readonly instanceId: string,
    private readonly timing: StopTiming,
  ) {}

  /** Reads the status now. */
  async read(): Promise<Polled> {
    this.lastReadAt = this.timing.now();
    const status = await getStatusOrUndefined(this.client, this.instanceId, WITHOUT_INPUT);
    return { status, terminal: status === undefined || isTerminalStatus(status.runtimeStatus) };
  }

  /**
   * Reads until the instance is terminal (or gone) or no read is due by `deadline`; then it waits out the deadline
   * and returns the last status seen (`last` when it made no read).
   */
  async untilTerminal(last: Polled, deadline: number): Promise<Polled> {
    let polled = last;
    while (!polled.terminal) {
      const due = (this.lastReadAt ?? this.timing.now()) + POLL_INTERVAL_MS;
      if (due > deadline) {
        await this.sleepUntil(deadline);
        break;
      }
      await this.sleepUntil(due);
      polled = await this.read();
    }
    return polled;
  }

  private async sleepUntil(at: number): Promise<void> {
    const ms = at - this.timing.now();
    if (ms > 0) await this.timing.sleep(ms);
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
function suspendedConflict(instanceId: string, name: string, resumePostUri: string | undefined): UserError {
  const resume = resumePostUri === undefined ? 'resume it' : 'resume it (resumePostUri)';
  return new UserError(
    'instanceSuspended',
    `Instance '${instanceId}' is Suspended and cannot stop until it is resumed: ${resume} and DELETE again, or DELETE with ?timeoutSeconds=N to terminate it after N seconds.`,
    409,
    { instanceId, name, runtimeStatus: 'Suspended', ...(resumePostUri === undefined ? {} : { resumePostUri }) },
  );
}

/** The stop's own request part: `?timeoutSeconds=`. */
interface StopParts {
  timeoutSeconds: number | undefined;
}

async function stop(
  { request, client, name, instanceId, timeoutSeconds }: SingletonCall<StopParts>,
  timing: StopTiming = realTiming,
): Promise<HttpResponseInit> {
  const started = timing.now();

  const current = await findOwnedInstance(client, instanceId, name, WITHOUT_INPUT);
  if (isTerminalStatus(current.runtimeStatus)) {
    return { status: 200, jsonBody: stoppedBody(instanceId, name, current) };
  }

  if (current.runtimeStatus === OrchestrationRuntimeStatus.Suspended && timeoutSeconds === undefined) {
    const { resumePostUri } = await managementUrlsFor(client, request, instanceId, name);
    throw suspendedConflict(instanceId, name, resumePostUri);
  }

  try {
    // Accepted for Pending (and, with a timeout, Suspended) instances too: the event waits until the orchestrator runs.
    await client.raiseEvent(instanceId, STOP_EVENT, null);
  } catch (err) {
    throw isNotFoundError(err) ? instanceNotFound(instanceId) : backendError('raise stop on', instanceId, err);
  }

  // The client reports the extension's 410 (the instance completed meanwhile) as success: read it again.
  const poller = new StatusPoller(client, instanceId, timing);
  const raised = await poller.read();
  if (raised.terminal) {
    return { status: 200, jsonBody: stoppedBody(instanceId, name, raised.status) };
  }

  const { statusQueryGetUri } = await managementUrlsFor(client, request, instanceId, name);
  if (timeoutSeconds === undefined) {
    const runtimeStatus = raised.status?.runtimeStatus ?? current.runtimeStatus;
    return {
      status: 202,
      headers: { Location: statusQueryGetUri, 'Retry-After': '5' },
      jsonBody: { instanceId, name, runtimeStatus, stopping: true, statusQueryGetUri },
    };
  }

  const deadline = started + timeoutSeconds * 1000;
  const graceful = await poller.untilTerminal(raised, deadline);
  if (graceful.terminal) {
    return { status: 200, jsonBody: stoppedBody(instanceId, name, graceful.status) };
  }

  const reason = `Graceful stop timed out after ${timeoutSeconds}s`;
  try {
    await client.terminate(instanceId, reason);
  } catch (err) {
    if (!isNotFoundError(err)) throw backendError('terminate', instanceId, err);
  }
  const forced = await poller.untilTerminal(graceful, deadline + TERMINATE_GRACE_MS);
  const runtimeStatus: string = forced.status?.runtimeStatus ?? 'Running';
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
}

/** The DELETE handler: the shared prologue, then the stop; `(request, context, getClient, timing?)`. */
export const handleStop = singletonHandler({
  parse: (request): StopParts => ({ timeoutSeconds: parseTimeoutSeconds(request.query.get('timeoutSeconds')) }),
  handle: stop,
});

export const httpStopSingle = registerSingletonRoute(HttpStopSingle, 'DELETE', handleStop);
