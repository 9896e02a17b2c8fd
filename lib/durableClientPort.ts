/**
 * The part of the durable client the HTTP functions use, typed structurally so tests can pass a small fake.
 */
import type { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient, HttpManagementPayload } from 'durable-functions';
import { SystemError } from './errors';

export type DurableClientPort = Pick<
  DurableClient,
  'getStatus' | 'startNew' | 'createCheckStatusResponse' | 'createHttpManagementPayload' | 'raiseEvent' | 'terminate'
>;

export type StatusReader = Pick<DurableClient, 'getStatus'>;

/**
 * An instance's management URLs on the caller's origin, as `createCheckStatusResponse` puts them into a 202. The
 * binding's own URLs (`createHttpManagementPayload`) name the host's configured origin instead, so every answer of
 * the app takes its URLs from here and they match whichever route gave them.
 */
export async function managementUrlsFor(
  client: Pick<DurableClient, 'createCheckStatusResponse'>,
  request: HttpRequest,
  instanceId: string,
): Promise<HttpManagementPayload> {
  return (await client.createCheckStatusResponse(request, instanceId).json()) as HttpManagementPayload;
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

/** The client from the function's `durableClient` input binding; a missing binding is a system error. */
export function bindingClientProvider(context: InvocationContext): ClientProvider {
  return () => {
    try {
      return cachedClient(context);
    } catch (err) {
      throw new SystemError('internal', 'The durable client binding is not available.', { cause: err });
    }
  };
}
