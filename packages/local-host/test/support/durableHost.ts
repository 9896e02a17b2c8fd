/**
 * The durable conformance tests' view of a local host: `useLocalHost` configured for them (the conformance app in its
 * own process, real HTTP, the manual clock at {@link START_TIME}, `waitForStatus` once the engine is idle) plus small
 * helpers to start instances, raise events and read status.
 */
import path from 'node:path';
import type { InstanceStatus, LocalHost, LocalHostOptions } from '../../src/api';
import { useLocalHost } from '../../src/testing';
import { FIXTURE_APPS } from './fixtureApps';

export type { InstanceStatus };

export const CONFORMANCE_APP = path.join(FIXTURE_APPS, 'durable-conformance');
export const START_TIME = Date.UTC(2024, 0, 1, 0, 0, 0);
export const WEBHOOK = '/runtime/webhooks/durabletask';
export const RPC = '/durabletask';

/** A local host started by {@link useDurableHost}. */
export type DurableTestHost = LocalHost;

type HostOptions = Pick<LocalHostOptions, 'appDir' | 'clock' | 'startTime'>;

/** One host per test file (or describe block), disposed after all its tests. */
export function useDurableHost(options: HostOptions = {}): () => DurableTestHost {
  return useLocalHost({
    appDir: options.appDir ?? CONFORMANCE_APP,
    clock: options.clock ?? 'manual',
    startTime: options.startTime ?? START_TIME,
    whenIdleFirst: true,
  });
}

/** The instance's status from the webhook status endpoint (`query` e.g. `?showHistory=true`), at once. */
export async function instanceStatus(host: DurableTestHost, instanceId: string, query = ''): Promise<InstanceStatus> {
  const res = await host.dispatch(`${WEBHOOK}/instances/${encodeURIComponent(instanceId)}${query}`);
  if (res.status === 404) throw new Error(`instance ${instanceId} not found`);
  return (await res.json()) as InstanceStatus;
}

export const isTerminalStatus = (s: InstanceStatus): boolean =>
  ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus);

/** Starts an orchestration over the RPC API and returns the instance id. */
export async function start(host: DurableTestHost, name: string, instanceId: string, input?: unknown): Promise<string> {
  const res = await host.dispatch(`${RPC}/orchestrators/${name}/${instanceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(input === undefined ? {} : { body: JSON.stringify(input) }),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`start ${name}/${instanceId} answered ${res.status}: ${text}`);
  return instanceId;
}

export async function raise(host: DurableTestHost, instanceId: string, event: string, data: unknown): Promise<number> {
  const res = await host.dispatch(`${RPC}/instances/${instanceId}/raiseEvent/${event}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  await res.arrayBuffer();
  return res.status;
}
