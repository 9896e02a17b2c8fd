/**
 * The part of the durable client the HTTP functions use, typed structurally so tests can pass a small fake.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { SystemError } from './errors';

export type DurableClientPort = Pick<
  DurableClient,
  'getStatus' | 'startNew' | 'createCheckStatusResponse' | 'createHttpManagementPayload' | 'raiseEvent' | 'terminate'
>;

export type StatusReader = Pick<DurableClient, 'getStatus'>;

/** Provides the client lazily, so requests rejected at the boundary never need the binding. */
export type ClientProvider = () => DurableClientPort;

/** The client from the function's `durableClient` input binding; a missing binding is a system error. */
export function bindingClientProvider(context: InvocationContext): ClientProvider {
  return () => {
    try {
      return df.getClient(context);
    } catch (err) {
      throw new SystemError('internal', 'The durable client binding is not available.', { cause: err });
    }
  };
}
