/**
 * The part of the durable client the HTTP functions use, typed structurally so tests can pass a small fake, and the
 * management URLs their answers name (`SINGLETON_MANAGEMENT_URLS`).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient, HttpManagementPayload } from 'durable-functions';
import { SystemError } from './errors';

export type DurableClientPort = Pick<
  DurableClient,
  'getStatus' | 'startNew' | 'createCheckStatusResponse' | 'createHttpManagementPayload' | 'raiseEvent' | 'terminate'
>;

export type StatusReader = Pick<DurableClient, 'getStatus'>;

/** host.json `extensions.http.routePrefix`: the app's own URLs are built under it. */
export const ROUTE_PREFIX = 'api';

/** The app setting that chooses which management URLs the app hands out. */
export const MANAGEMENT_URLS_SETTING = 'SINGLETON_MANAGEMENT_URLS';
const MANAGEMENT_URLS_MODES = ['extension', 'app'] as const;
export type ManagementUrlsMode = (typeof MANAGEMENT_URLS_MODES)[number];

/**
 * `SINGLETON_MANAGEMENT_URLS`, read on every request: unset or empty → `extension` (the Durable extension's
 * management API, whose URLs carry its system key in Azure); `app` → only the app's own routes. Any other value is a
 * misconfiguration: a `SystemError` (500 `internal`) that names the setting and its values, raised before the
 * request reaches the backend.
 */
export function managementUrlsMode(env: NodeJS.ProcessEnv = process.env): ManagementUrlsMode {
  const raw = env[MANAGEMENT_URLS_SETTING];
  if (raw === undefined || raw === '') return 'extension';
  const mode = MANAGEMENT_URLS_MODES.find((m) => m === raw);
  if (mode === undefined) {
    throw new SystemError(
      'internal',
      `App setting ${MANAGEMENT_URLS_SETTING} is ${JSON.stringify(raw)}: expected 'extension' (the default) or 'app'.`,
    );
  }
  return mode;
}

/**
 * The URLs an answer names. `statusQueryGetUri` and `sendEventPostUri` (with its `{eventName}` placeholder) are in
 * both modes; the extension's payload adds `terminatePostUri`, `purgeHistoryDeleteUri`, `suspendPostUri`, … and the
 * app's adds `stopDeleteUri`.
 */
export interface ManagementUrls {
  readonly id: string;
  readonly statusQueryGetUri: string;
  readonly sendEventPostUri: string;
  readonly [name: string]: string;
}

/** The app's own GET/DELETE route and its events route for the instance, on the caller's origin (no key in them). */
function appUrlsFor(request: HttpRequest, instanceId: string, name: string): ManagementUrls {
  // The instance ID rule leaves only characters that stand for themselves in a path segment.
  const route = `${new URL(request.url).origin}/${ROUTE_PREFIX}/orchestrators/${name}/${instanceId}`;
  return {
    id: instanceId,
    statusQueryGetUri: route,
    sendEventPostUri: `${route}/events/{eventName}`,
    stopDeleteUri: route,
  };
}

/**
 * The one place the app's answers take management URLs from, by {@link managementUrlsMode}: the extension's, on the
 * caller's origin as `createCheckStatusResponse` puts them into a 202 (the binding's own `createHttpManagementPayload`
 * names the host's configured origin instead), or the app's own routes for orchestrator `name`.
 */
export async function managementUrlsFor(
  client: Pick<DurableClient, 'createCheckStatusResponse'>,
  request: HttpRequest,
  instanceId: string,
  name: string,
): Promise<ManagementUrls> {
  if (managementUrlsMode() === 'app') return appUrlsFor(request, instanceId, name);
  const payload = (await client.createCheckStatusResponse(request, instanceId).json()) as HttpManagementPayload;
  return { ...payload };
}

/** The 202 of an accepted start: the management URLs (plus `extra` fields), `Location` on the status URL. */
export function checkStatusResponse(urls: ManagementUrls, extra: Record<string, unknown> = {}): HttpResponseInit {
  return {
    status: 202,
    headers: { 'Content-Type': 'application/json', Location: urls.statusQueryGetUri, 'Retry-After': '10' },
    jsonBody: { ...urls, ...extra },
  };
}

/** Provides the client lazily, so requests rejected at the boundary never need the binding. */
export type ClientProvider = () => DurableClientPort;

const CLIENT_INPUT_TYPES = new Set(['durableClient', 'orchestrationClient']);
const MAX_CACHED_CLIENTS = 8;

/**
 * Clients by the JSON of their binding data. Building a `DurableClient` (URL validation, an HTTP client) costs about
 * a quarter of a conflict answer's CPU, and the binding data is the same for every invocation of a worker, so a
 * client is built once per distinct binding and reused; it holds no per-request state.
 */
const clients = new Map<string, DurableClient>();

function bindingKey(context: InvocationContext): string | undefined {
  const input = context.options.extraInputs.find((i) => CLIENT_INPUT_TYPES.has(i.type));
  const data: unknown = input === undefined ? undefined : context.extraInputs.get(input);
  return data === undefined || data === null ? undefined : JSON.stringify(data);
}

function cachedClient(context: InvocationContext): DurableClient {
  const key = bindingKey(context);
  const cached = key === undefined ? undefined : clients.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const client = df.getClient(context);
  if (key !== undefined) {
    if (clients.size >= MAX_CACHED_CLIENTS) {
      const oldest = clients.keys().next();
      if (!oldest.done) clients.delete(oldest.value);
    }
    clients.set(key, client);
  }
  return client;
}

/**
 * The client from the function's `durableClient` input binding. A missing binding is a system error, and so is an
 * invalid {@link MANAGEMENT_URLS_SETTING}: checked here, before a handler's first backend call, so a misconfigured app
 * refuses every request instead of answering after it started or stopped an instance.
 */
export function bindingClientProvider(context: InvocationContext): ClientProvider {
  return () => {
    managementUrlsMode();
    try {
      return cachedClient(context);
    } catch (err) {
      throw new SystemError('internal', 'The durable client binding is not available.', { cause: err });
    }
  };
}
