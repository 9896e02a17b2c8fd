/**
 * The durable conformance tests' view of a local host: the project's programmatic API (`createLocalHost`, the app in
 * its own process, real HTTP, manual clock) plus small helpers to start instances, raise events and read status.
 */
import path from 'node:path';
import type { InstanceStatus, LocalHost, LocalHostOptions } from '../../../src/api';
import { createLocalHost } from '../../../src/api';

export type { InstanceStatus };

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CONFORMANCE_APP = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'apps', 'durable-conformance');
export const START_TIME = Date.UTC(2024, 0, 1, 0, 0, 0);
export const WEBHOOK = '/runtime/webhooks/durabletask';
export const RPC = '/durabletask';

export interface DurableTestHost {
  url: string;
  dispatch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  advanceTime(ms: number): Promise<void>;
  whenIdle(): Promise<void>;
  status(instanceId: string, query?: string): Promise<InstanceStatus>;
  waitForStatus(
    instanceId: string,
    predicate: (s: InstanceStatus) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<InstanceStatus>;
  dispose(): Promise<void>;
}

type HostOptions = Pick<LocalHostOptions, 'appDir' | 'clock' | 'startTime'>;

function wrap(host: LocalHost): DurableTestHost {
  const status = async (instanceId: string, query = ''): Promise<InstanceStatus> => {
    const res = await host.dispatch(`${WEBHOOK}/instances/${encodeURIComponent(instanceId)}${query}`);
    if (res.status === 404) throw new Error(`instance ${instanceId} not found`);
    return (await res.json()) as InstanceStatus;
  };
  return {
    url: host.url,
    dispatch: (pathOrUrl, init) => host.dispatch(pathOrUrl, init),
    advanceTime: (ms) => host.advanceTime(ms),
    whenIdle: () => host.whenIdle(),
    status,
    async waitForStatus(instanceId, predicate, options = {}) {
      await host.whenIdle();
      return host.waitForStatus(instanceId, predicate, options);
    },
    dispose: () => host.dispose(),
  };
}

export async function startDurableTestHost(options: HostOptions = {}): Promise<DurableTestHost> {
  return wrap(
    await createLocalHost({
      appDir: options.appDir ?? CONFORMANCE_APP,
      clock: options.clock ?? 'manual',
      startTime: options.startTime ?? START_TIME,
    }),
  );
}

/** One host per test file, disposed after all its tests. */
export function useDurableHost(options: HostOptions = {}): () => DurableTestHost {
  let host: DurableTestHost | undefined;
  beforeAll(async () => {
    host = await startDurableTestHost(options);
  }, 60_000);
  afterAll(async () => {
    await host?.dispose();
  });
  return () => {
    if (host === undefined) throw new Error('the durable test host is not started');
    return host;
  };
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
