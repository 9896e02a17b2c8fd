/**
 * The app's HTTP API and the durable management webhooks as the end-to-end tests use them: a local host per test
 * file, plain `fetch` over real HTTP, and the JSON shapes the responses are expected to have.
 */
import type { InstanceStatus as HostInstanceStatus, LocalHost } from 'durable-local-host';
import { defaultBackend } from 'durable-local-host';
import { useLocalHost } from 'durable-local-host/testing';
import type { UseLocalHostOptions } from 'durable-local-host/testing';

/** The durable client's check-status / management payload (HttpStartSingle 202 and `onConflict=useExisting` 200). */
export interface ManagementPayload {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  rewindPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
  [key: string]: unknown;
}

/** Instance status as the webhook status endpoint returns it. */
export interface InstanceStatus extends HostInstanceStatus {
  historyEvents?: Array<Record<string, unknown>>;
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The backend this run's hosts use: env `LOCAL_HOST_BACKEND` (`npm run test:reference` sets `azurite`), else memory. */
export const BACKEND = defaultBackend();

/**
 * `describe` for scenarios only the memory backend can run: the manual clock, or faults injected into the emulator's
 * RPC path. On `azurite` the block is skipped; `reason` names why, in the code that calls it.
 */
export function describeOnMemory(reason: string): jest.Describe {
  void reason;
  return BACKEND === 'memory' ? describe : describe.skip;
}

/** `describe` for scenarios only the reference backend has (its processes, shared storage); skipped on `memory`. */
export function describeOnAzurite(reason: string): jest.Describe {
  void reason;
  return BACKEND === 'azurite' ? describe : describe.skip;
}

/**
 * The instance's status once `predicate` holds. On `memory` the engine is idle first, so a wrong state fails at once;
 * on `azurite` the extension works in its own time, so the status is polled.
 */
export async function settledStatus(
  host: LocalHost,
  instanceId: string,
  predicate: (status: InstanceStatus) => boolean,
  timeoutMs = 15_000,
): Promise<void> {
  await host.whenIdle();
  await host.waitForStatus(instanceId, predicate, { timeoutMs }).catch(() => undefined);
}

/**
 * One local host for the test file, on port 0, disposed after the file's tests. A manual-clock host exists only on
 * `memory`: on `azurite` no host is started, and the file's blocks are {@link describeOnMemory}.
 */
export function useHost(options: UseLocalHostOptions = {}): () => LocalHost {
  if (options.clock === 'manual' && BACKEND !== 'memory') {
    return () => {
      throw new Error('This scenario needs the manual clock, which only the memory backend has');
    };
  }
  return useLocalHost({ port: 0, ...options });
}

/** Sends a request and reads the body as JSON when there is one (`undefined` for an empty body). */
export async function request<T = any>(url: string | URL, init?: RequestInit): Promise<JsonResponse<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = undefined;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/**
 * URL of the singleton route. `instanceId` is put into the path as given, so callers control percent-encoding
 * (the invalid-ID tests send encoded characters on purpose).
 */
export function singletonUrl(host: LocalHost, functionName: string, rawInstanceId: string, query = ''): string {
  return `${host.url.replace(/\/$/, '')}/api/orchestrators/${functionName}/${rawInstanceId}${query}`;
}

/** POST with an optional JSON body (the orchestration input). */
export function startSingle(
  host: LocalHost,
  functionName: string,
  instanceId: string,
  input?: unknown,
  query = '',
): Promise<JsonResponse> {
  const init: RequestInit = { method: 'POST' };
  if (input !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(input);
  }
  return request(singletonUrl(host, functionName, instanceId, query), init);
}

export function getSingle(host: LocalHost, functionName: string, instanceId: string): Promise<JsonResponse> {
  return request(singletonUrl(host, functionName, instanceId));
}

export function stopSingle(
  host: LocalHost,
  functionName: string,
  instanceId: string,
  query = '',
): Promise<JsonResponse> {
  return request(singletonUrl(host, functionName, instanceId, query), { method: 'DELETE' });
}

/** Raises an external event through the payload's `sendEventPostUri`. */
export function raiseEvent(payload: ManagementPayload, eventName: string, data?: unknown): Promise<JsonResponse> {
  return request(payload.sendEventPostUri.replace('{eventName}', eventName), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data ?? null),
  });
}

/** POSTs to one of the payload's `{text}`-reason URLs (terminate, suspend, resume). */
export function postManagement(url: string, reason: string): Promise<JsonResponse> {
  return request(url.replace('{text}', encodeURIComponent(reason)), { method: 'POST' });
}

/** Webhook status of an instance (`GET statusQueryGetUri`), optionally with its history. */
export async function webhookStatus(
  payload: ManagementPayload,
  showHistory = false,
): Promise<JsonResponse<InstanceStatus>> {
  const url = new URL(payload.statusQueryGetUri);
  if (showHistory) url.searchParams.set('showHistory', 'true');
  return request<InstanceStatus>(url);
}

/** Every instance the host knows, through the webhook list endpoint (optionally filtered by ID prefix). */
export async function listInstances(host: LocalHost, instanceIdPrefix?: string): Promise<InstanceStatus[]> {
  const url = new URL('/runtime/webhooks/durabletask/instances/', host.url);
  if (instanceIdPrefix !== undefined) url.searchParams.set('instanceIdPrefix', instanceIdPrefix);
  const res = await request<InstanceStatus[]>(url);
  if (res.status !== 200) throw new Error(`list instances answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A fresh instance ID per test, so tests in one file never see each other's instances. */
let sequence = 0;
export function freshId(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}`;
}

export const TERMINAL = ['Completed', 'Failed', 'Terminated', 'Canceled'];
export const isTerminal = (s: InstanceStatus): boolean => TERMINAL.includes(s.runtimeStatus);
