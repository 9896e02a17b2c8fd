/**
 * The route shared by the singleton's HTTP functions (POST start, GET status, DELETE stop, POST event), their shared
 * prologue and their one way of being registered: function-level key, a durable client input, the client taken from
 * that binding.
 *
 * The prologue ({@link singletonHandler}) is the same for every function: the route's `functionName` as a known
 * orchestrator (404), its `instanceId` by the ID rule (400), then the function's own request parts, then the client —
 * in that order, so the first bad input is the one answered and a request refused at the boundary never needs the
 * binding. Any error, from the prologue or the function, becomes the answer `errorResponse` gives it.
 */
import { app } from '@azure/functions';
import type { HttpHandler, HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { parseOrchestratorName } from './catalog';
import type { OrchestratorName } from './catalog';
import { bindingClientProvider } from './durableClientPort';
import type { ClientProvider, DurableClientPort } from './durableClientPort';
import { errorResponse } from './httpErrors';
import { parseInstanceId } from './instanceId';

export const SINGLETON_ROUTE = 'orchestrators/{functionName}/{instanceId}';
export const SINGLETON_EVENTS_ROUTE = `${SINGLETON_ROUTE}/events/{eventName}`;

/**
 * A handler of the singleton route with its client seam (tests pass a fake provider) and, after it, any test seams
 * of its own (`A`; the registered handler passes none).
 */
export type SingletonHandler<A extends unknown[] = []> = (
  request: HttpRequest,
  context: InvocationContext,
  getClient: ClientProvider,
  ...extra: A
) => Promise<HttpResponseInit>;

/** A handler of the singleton route as it is registered: request, context and client seam only. */
export type SingletonRouteHandler = SingletonHandler;

/** The route parameters as the request sent them, before validation: what error answers and telemetry name. */
export interface RawSingletonParams {
  readonly name: string;
  readonly instanceId: string;
}

/** What the prologue hands a function: the request, its validated orchestrator and instance ID, and the client. */
export interface SingletonRequest {
  readonly request: HttpRequest;
  readonly context: InvocationContext;
  readonly client: DurableClientPort;
  readonly name: OrchestratorName;
  readonly instanceId: string;
}

/** A {@link SingletonRequest} with the function's own parsed request parts (`P`) alongside. */
export type SingletonCall<P extends object = Record<never, never>> = SingletonRequest & Readonly<P>;

/** One function of the singleton route: its own parsing and logic; the rest is {@link singletonHandler}'s. */
export interface SingletonRouteSpec<P extends object, A extends unknown[]> {
  /**
   * The function's own request parts (query, body, further route parameters), read after `functionName` and
   * `instanceId` are valid and before the client is taken; it throws the `UserError` to answer.
   */
  parse: (request: HttpRequest, name: OrchestratorName) => P | Promise<P>;
  /** The function's logic; `extra` are test seams (the registered handler passes none). */
  handle: (call: SingletonCall<P>, ...extra: A) => Promise<HttpResponseInit>;
  /** Called with any error before it is answered, e.g. to record a rejected request. */
  onError?: (err: unknown, raw: RawSingletonParams, context: InvocationContext) => void;
}

/** A function of the singleton route that reads nothing beyond `functionName` and `instanceId`. */
export type PlainSingletonRouteSpec<A extends unknown[]> = Omit<SingletonRouteSpec<Record<never, never>, A>, 'parse'>;

/**
 * Wraps a function's {@link SingletonRouteSpec} in the shared prologue: parameters validated in route order, the
 * function's own parsing, the client from `getClient`, and every error answered by `errorResponse` with the raw
 * parameters.
 */
export function singletonHandler<P extends object, A extends unknown[] = []>(
  spec: SingletonRouteSpec<P, A>,
): SingletonHandler<A>;
export function singletonHandler<A extends unknown[] = []>(spec: PlainSingletonRouteSpec<A>): SingletonHandler<A>;
export function singletonHandler<P extends object, A extends unknown[]>(
  spec: SingletonRouteSpec<P, A> | PlainSingletonRouteSpec<A>,
): SingletonHandler<A> {
  const parse: SingletonRouteSpec<object, A>['parse'] = 'parse' in spec ? spec.parse : () => ({});
  const handle = spec.handle as (call: SingletonCall<object>, ...extra: A) => Promise<HttpResponseInit>;
  return async (request, context, getClient, ...extra) => {
    const raw: RawSingletonParams = {
      name: request.params.functionName ?? '',
      instanceId: request.params.instanceId ?? '',
    };
    try {
      const name = parseOrchestratorName(raw.name);
      const instanceId = parseInstanceId(raw.instanceId);
      const parts = await parse(request, name);
      const client = getClient();
      return await handle({ ...parts, request, context, client, name, instanceId }, ...extra);
    } catch (err) {
      spec.onError?.(err, raw, context);
      return errorResponse(err, context, { instanceId: raw.instanceId, name: raw.name });
    }
  };
}

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
