/**
 * A local host with the durable service in its own process, for the durable conformance tests: the app's functions
 * run through the real `@azure/functions` + `durable-functions` packages, and the test talks to the host over HTTP
 * (`dispatch`) and drives its manual clock over IPC.
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const CONFORMANCE_APP = path.join(ROOT, 'test', 'fixtures', 'apps', 'durable-conformance');
export const START_TIME = Date.UTC(2024, 0, 1, 0, 0, 0);
export const WEBHOOK = '/runtime/webhooks/durabletask';
export const RPC = '/durabletask';

export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

export interface DurableTestHost {
  url: string;
  dispatch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  advanceTime(ms: number): Promise<void>;
  whenIdle(): Promise<void>;
  historySize(instanceId: string): Promise<number>;
  /** Errors the engine logged since the last call. */
  errors(): Promise<string[]>;
  status(instanceId: string): Promise<InstanceStatus>;
  waitForStatus(
    instanceId: string,
    predicate: (s: InstanceStatus) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<InstanceStatus>;
  dispose(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export async function startDurableTestHost(
  options: { appDir?: string; clock?: 'real' | 'manual'; startTime?: number } = {},
): Promise<DurableTestHost> {
  const entry = path.join(ROOT, 'dist', 'local-host', 'host.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} does not exist: run "npm run build" first`);
  const appDir = options.appDir ?? CONFORMANCE_APP;
  const child: ChildProcess = fork(path.join(__dirname, 'host-child.js'), [], {
    cwd: appDir,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  child.on('message', (raw: Reply) => {
    const p = pending.get(raw.id);
    if (p === undefined) return;
    pending.delete(raw.id);
    if (raw.ok) p.resolve(raw.value);
    else p.reject(new Error(raw.error));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error('the host process exited'));
    pending.clear();
  });
  const request = (message: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...message, id });
    });

  const started = (await request({
    type: 'start',
    appDir,
    clock: options.clock ?? 'manual',
    startTime: options.startTime ?? START_TIME,
  })) as { url: string };
  const url = started.url;
  let disposed = false;

  const host: DurableTestHost = {
    url,
    dispatch: (pathOrUrl, init) => fetch(new URL(pathOrUrl, url), init),
    advanceTime: async (ms) => {
      await request({ type: 'advanceTime', ms });
    },
    whenIdle: async () => {
      await request({ type: 'whenIdle' });
    },
    historySize: async (instanceId) => (await request({ type: 'historySize', instanceId })) as number,
    errors: async () => (await request({ type: 'errors' })) as string[],
    status: async (instanceId) => {
      const res = await host.dispatch(`${WEBHOOK}/instances/${encodeURIComponent(instanceId)}`);
      if (res.status === 404) throw new Error(`instance ${instanceId} not found`);
      return (await res.json()) as InstanceStatus;
    },
    async waitForStatus(instanceId, predicate, { timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last: InstanceStatus | undefined;
      for (;;) {
        await host.whenIdle();
        const res = await host.dispatch(`${WEBHOOK}/instances/${encodeURIComponent(instanceId)}`);
        if (res.status !== 404) {
          last = (await res.json()) as InstanceStatus;
          if (predicate(last)) return last;
        } else {
          await res.arrayBuffer();
        }
        if (Date.now() > deadline) {
          throw new Error(`instance ${instanceId} did not reach the expected status; last: ${JSON.stringify(last)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      try {
        await request({ type: 'dispose' });
      } catch {
        // the process may already be gone
      }
      child.disconnect();
      await exited;
    },
  };
  return host;
}

/** One host per test file, disposed after all its tests. */
export function useDurableHost(
  options: { appDir?: string; clock?: 'real' | 'manual'; startTime?: number } = {},
): () => DurableTestHost {
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
  if (res.status !== 202) throw new Error(`start ${name}/${instanceId} answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer().catch(() => undefined);
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
