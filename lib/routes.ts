/**
 * The route shared by the singleton's HTTP functions (POST start, GET status, DELETE stop), and their one way of
 * being registered: function-level key, a durable client input, the client taken from that binding.
 */
import { app } from '@azure/functions';
import type { HttpHandler, HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { bindingClientProvider } from './durableClientPort';
import type { ClientProvider } from './durableClientPort';

export const SINGLETON_ROUTE = 'orchestrators/{functionName}/{instanceId}';
export const SINGLETON_EVENTS_ROUTE = `${SINGLETON_ROUTE}/events/{eventName}`;

/** A handler of the singleton route with its client seam (tests pass a fake provider). */
export type SingletonRouteHandler = (
  request: HttpRequest,
  context: InvocationContext,
  getClient: ClientProvider,
) => Promise<HttpResponseInit>;

/** Registers `name` for one method of the singleton route (or one below it) and returns the registered handler. */
export function registerSingletonRoute(
  name: string,
  method: HttpMethod,
  handle: SingletonRouteHandler,
  route: string = SINGLETON_ROUTE,
): HttpHandler {
  const handler: HttpHandler = (request, context) => handle(request, context, bindingClientProvider(context));
  app.http(name, {
    route,
    methods: [method],
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler,
  });
  return handler;
}
