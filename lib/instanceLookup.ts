/**
 * Finds the instance a lifecycle request (GET, DELETE) addresses: 404 when unknown, 409 when the ID belongs to
 * another orchestrator than the one in the route.
 */
import type { DurableOrchestrationStatus, GetStatusOptions } from 'durable-functions';
import type { StatusReader } from './durableClientPort';
import { getStatusOrUndefined } from './durableStatus';
import { withoutStartToken } from './startToken';
import { UserError } from './errors';

export function instanceNotFound(instanceId: string): UserError {
  return new UserError('instanceNotFound', `No instance with ID '${instanceId}' found.`, 404, { instanceId });
}

export async function findOwnedInstance(
  client: StatusReader,
  instanceId: string,
  expectedName: string,
  options?: GetStatusOptions,
): Promise<DurableOrchestrationStatus> {
  const status = await getStatusOrUndefined(client, instanceId, options);
  if (status === undefined) {
    throw instanceNotFound(instanceId);
  }
  if (status.name !== expectedName) {
    throw new UserError(
      'wrongOrchestrator',
      `Instance '${instanceId}' belongs to orchestrator '${status.name}', not '${expectedName}'.`,
      409,
      { instanceId, name: status.name, expectedName, runtimeStatus: status.runtimeStatus },
    );
  }
  return status;
}

function toIso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * The JSON body of a status answer; every field present (null when absent). An eternal orchestrator's input is the
 * state it carried into the current generation (`continueAsNew`), not what a caller started it with, so it is
 * answered as `state`: it cannot be POSTed back as a start input.
 */
export function statusBody(status: DurableOrchestrationStatus): Record<string, unknown> {
  return {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    state: withoutStartToken(status.input) ?? null,
    customStatus: status.customStatus ?? null,
    output: status.output ?? null,
    createdTime: toIso(status.createdTime),
    lastUpdatedTime: toIso(status.lastUpdatedTime),
  };
}
