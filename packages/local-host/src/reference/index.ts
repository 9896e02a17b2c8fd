/**
 * The `azurite` backend: the REAL Durable Functions extension (3.19.0, Azure Storage provider) on Azurite, hosted by
 * the .NET reference host, behind the {@link DurableService} seam. History, dedupe, timers, events, continue-as-new,
 * purge, suspend, terminate and entities are the extension's; this side only starts the processes, carries each episode
 * to the function runtime (bridge) and passes `/runtime/webhooks/durabletask/*` to the extension's HttpApiHandler.
 *
 * @example
 * const durable = await createReferenceDurableService({ functions, hostJson, clock, log, rpcBaseUrl,
 *   frontDoorOrigin: 'http://localhost:7071', referenceHostDir });
 */

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { DurableService, DurableServiceOptions, HostHttpRequest, HostHttpResponse } from '../contracts';
import { DEFAULT_TASK_HUB } from '../durable';
import { LOCAL_SYSTEM_KEY, RPC_PATH, WEBHOOK_PATH } from '../durable/urls';
import { externalStorage, startAzurite, type Storage } from './azurite';
import { startBridge, type Bridge } from './bridge';
import { ensureReferenceHostBuilt, findDotnet, startReferenceHost } from './dotnet';
import type { RunningReferenceHost } from './dotnet';
import { ReferenceBackendError } from './process';
import { LocalHostError } from '../errors';

export { ReferenceBackendError } from './process';
export { DOTNET_REQUIREMENT } from './dotnet';

export interface ReferenceBackendOptions {
  /** Folder that keeps Azurite's state across restarts; absent ⇒ in memory. */
  location?: string;
  /** Use this storage instead of starting Azurite (left running on stop): `AzureWebJobsStorage` for the extension. */
  storageConnectionString?: string;
}

export interface ReferenceServiceOptions extends DurableServiceOptions, ReferenceBackendOptions {
  /** The front door's origin, e.g. `http://localhost:7071`: the webhook base the extension advertises. */
  frontDoorOrigin: string;
  /** The .NET reference host's project folder. */
  referenceHostDir: string;
}

/** The extension's options as environment variables of a WebJobs host (`AzureWebJobs:extensions:durableTask:*`). */
export function durableTaskEnvironment(durableTask: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(`${prefix}__${key}`, inner);
    } else if (value !== undefined && value !== null) {
      env[prefix] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  };
  walk('AzureWebJobs__extensions__durableTask', durableTask);
  return env;
}

/** What the reference host needs on top of host.json, for a local, single-machine task hub. */
function localDefaults(durableTask: Record<string, unknown>): Record<string, unknown> {
  const storageProvider = { ...((durableTask.storageProvider as Record<string, unknown> | undefined) ?? {}) };
  // Azure Storage backs off to 30 s between empty queue polls by default; locally a second keeps runs responsive.
  storageProvider.maxQueuePollingInterval ??= '00:00:01';
  // A message a dead worker had dequeued comes back after this visibility timeout (5 minutes by default): a local
  // failover should not take that long; the extension's least is 1 minute. Episodes here take milliseconds.
  storageProvider.controlQueueVisibilityTimeout ??= '00:01:00';
  storageProvider.workItemQueueVisibilityTimeout ??= '00:01:00';
  return {
    ...durableTask,
    hubName: durableTask.hubName ?? DEFAULT_TASK_HUB,
    // The local RPC endpoint is what durable-functions' client talks to (contract: FUNCTIONS_WORKER_RUNTIME=node).
    localRpcEndpointEnabled: true,
    storageProvider,
  };
}

/**
 * Forwards one request. `keepHost` keeps the caller's Host header (the webhook API builds its links from it, as behind
 * the Functions host); the RPC listener needs its own (the extension tells RPC calls apart by the port they reach).
 */
function proxy(target: string, req: HostHttpRequest, keepHost: boolean): Promise<HostHttpResponse> {
  const url = new URL(req.url.pathname + req.url.search, target);
  const headers: Record<string, string> = { ...req.headers, 'content-length': String(req.body.length) };
  if (!keepHost) headers.host = url.host;
  return new Promise((resolve, reject) => {
    const out = http.request(url, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) {
          if (value === undefined || ['content-length', 'transfer-encoding', 'connection'].includes(key)) continue;
          headers[key] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(req.body);
  });
}

export async function createReferenceDurableService(options: ReferenceServiceOptions): Promise<DurableService> {
  const { log } = options;
  if (options.clock.kind === 'manual') {
    throw new ReferenceBackendError(
      'REFERENCE_REAL_CLOCK_ONLY',
      'The azurite backend runs on the real clock: the Durable extension takes time from the machine. Use the memory backend for the manual clock.',
    );
  }
  const dotnet = findDotnet();
  const dll = ensureReferenceHostBuilt(options.referenceHostDir, dotnet, log);
  const durableTask = localDefaults({ ...(options.hostJson.extensions?.durableTask ?? {}) });
  let storage: Storage | undefined;
  let bridge: Bridge | undefined;
  let host: RunningReferenceHost | undefined;
  let clientJson = '';
  const stopAll = async (): Promise<void> => {
    await host?.stop();
    await bridge?.close();
    await storage?.stop();
  };
  try {
    storage =
      options.storageConnectionString !== undefined
        ? externalStorage(options.storageConnectionString)
        : await startAzurite({ location: options.location, log });
    bridge = await startBridge({ functions: options.functions, clientBindingJson: () => clientJson, log });
    const durableKinds: Record<string, string> = {
      orchestrationtrigger: 'orchestration',
      activitytrigger: 'activity',
      entitytrigger: 'entity',
    };
    const functions = options.functions.list().flatMap((fn) => {
      const kind = durableKinds[fn.trigger.type.toLowerCase()];
      return kind === undefined ? [] : [{ name: fn.name, kind }];
    });
    host = await startReferenceHost({
      dotnet,
      dll,
      log,
      env: {
        AzureWebJobsStorage: storage.connectionString,
        FUNCTIONS_WORKER_RUNTIME: 'node',
        // The Azure Storage provider names a worker after the machine unless these are set (as on App Service):
        // every host here is a worker of its own, so that a second host — or a restarted one — never takes the
        // partition leases of another (or of a dead one) for its own.
        WEBSITE_CURRENT_STAMPNAME: 'local',
        RoleInstanceId: `reference-host-${randomUUID()}`,
        REFERENCE_HOST_BRIDGE_URL: bridge.url,
        REFERENCE_HOST_BRIDGE_TOKEN: bridge.token,
        REFERENCE_HOST_FUNCTIONS: JSON.stringify(functions),
        REFERENCE_HOST_WEBHOOK_URL: `${options.frontDoorOrigin}${WEBHOOK_PATH}?code=${LOCAL_SYSTEM_KEY}`,
        REFERENCE_HOST_LOG_LEVEL: process.env.LOCAL_HOST_DEBUG === '1' ? 'Information' : 'Warning',
        ...durableTaskEnvironment(durableTask),
      },
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  clientJson = JSON.stringify(host.clientBinding);
  const rpcBaseUrl = host.clientBinding.rpcBaseUrl;
  if (typeof rpcBaseUrl !== 'string') {
    await stopAll();
    throw new ReferenceBackendError(
      'REFERENCE_START_FAILED',
      'The extension gave no rpcBaseUrl: its local RPC endpoint is not enabled',
    );
  }
  const rpcOrigin = new URL(rpcBaseUrl).origin;
  const running = host;
  let disposed = false;
  void running.exited.then((code) => {
    if (!disposed) log('error', `The .NET reference host exited unexpectedly (code ${code ?? 'null'})`);
  });
  log(
    'info',
    `Durable backend: azurite — the Durable extension (Azure Storage provider) in the .NET reference host (pid ${running.pid}); task hub ${String(durableTask.hubName)}; state: ${storage.describe}`,
  );
  return {
    clientBindingJson: () => clientJson,
    async handleHttp(req) {
      const path = req.url.pathname.toLowerCase();
      // The webhook API goes to the extension's HttpApiHandler through the reference host's server; the RPC base
      // (`/durabletask/`, what the JS client uses) to the extension's own local RPC listener, as the binding says.
      const webhook = path.startsWith(WEBHOOK_PATH + '/');
      const target = webhook ? running.url : path.startsWith(RPC_PATH + '/') ? rpcOrigin : undefined;
      if (target === undefined) return undefined;
      try {
        return await proxy(target, req, webhook);
      } catch (err) {
        return {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
          body: JSON.stringify({
            error: `The reference host is not reachable: ${(err as Error).message}`,
            code: 'BACKEND_UNAVAILABLE',
          }),
        };
      }
    },
    advanceTime() {
      return Promise.reject(
        new LocalHostError(
          'NOT_MANUAL_CLOCK',
          'advanceTime needs the manual clock, which only the memory backend has; this host runs on azurite.',
        ),
      );
    },
    // The extension does its work in its own process; nothing here can tell that it is idle.
    whenIdle: () => Promise.resolve(),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await stopAll();
    },
  };
}
