/**
 * The HTTP front door: a Node `http` request handler that sends durable management paths to the durable service and
 * every other request to the HTTP-triggered function whose route template and methods match, translating between
 * HTTP and the RPC payloads of the Functions host.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { DurableService, FunctionRuntime, LogFn, RegisteredBinding, RegisteredFunction } from '../contracts';
import { durableClientBindingNames } from '../bindingSupport';
import { LocalHostError } from '../errors';
import { fromRpcHttpResponse } from './fromRpcHttpResponse';
import { sendHostError } from './hostErrors';
import type { CompiledRoute } from './routes';
import { compareRoutes, compileRoute, matchRoute } from './routes';
import { toRpcHttpRequest } from './toRpcHttpRequest';

/** Largest accepted request body, as the Functions host (100 MB); `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT` changes it. */
export const MAX_REQUEST_BODY_BYTES = 100 * 1024 * 1024;
/** Seconds a client is asked to wait when the host has no room to buffer its body. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

const DURABLE_PREFIXES = ['/runtime/webhooks/durabletask/', '/durabletask/'];
/** The durable client binding's own calls (`rpcBaseUrl`): SDK plumbing behind an app request, logged at debug. */
const CLIENT_RPC_PREFIX = '/durabletask/';

/** What the request log line says besides method, path, status and duration; filled in while the request is served. */
interface RequestLogEntry {
  path: string;
  instanceId?: string;
}

/** The instance a management-API path names (`…/instances/{id}/…`), decoded. */
export function managementInstanceId(pathname: string): string | undefined {
  const raw = /\/instances\/([^/]+)/.exec(pathname)?.[1];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The instance a function route names: its `instanceId` parameter, whatever its case. */
function routeInstanceId(params: Record<string, string>): string | undefined {
  const key = Object.keys(params).find((name) => name.toLowerCase() === 'instanceid');
  return key === undefined ? undefined : params[key];
}

/** One access-log line: `POST /api/orchestrators/Counter/c1 202 4ms instance=c1`. */
export function formatRequestLine(
  method: string,
  entry: RequestLogEntry,
  status: number | 'aborted',
  durationMs: number,
): string {
  const instance = entry.instanceId === undefined ? '' : ` instance=${entry.instanceId}`;
  return `${method} ${entry.path} ${status} ${Math.round(durationMs)}ms${instance}`;
}

export interface HttpRoute {
  function: RegisteredFunction;
  trigger: RegisteredBinding;
  /** Full template including the route prefix, e.g. `api/orchestrators/{functionName}`. */
  displayTemplate: string;
  route: CompiledRoute;
  /** Upper-case methods; empty = all. */
  methods: string[];
  authLevel: string;
  clientBindings: string[];
}

export function isHttpTrigger(binding: RegisteredBinding): boolean {
  return binding.type.toLowerCase() === 'httptrigger';
}

/** Normalises host.json `extensions.http.routePrefix` (default `api`, empty string allowed). */
export function normaliseRoutePrefix(prefix: string | undefined): string {
  return (prefix ?? 'api').replace(/^\/+|\/+$/g, '');
}

export function buildHttpRoutes(functions: RegisteredFunction[], routePrefix: string): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    const trigger = fn.trigger;
    if (!isHttpTrigger(trigger)) {
      continue;
    }
    const template = typeof trigger.route === 'string' && trigger.route !== '' ? trigger.route : fn.name;
    const methods = Array.isArray(trigger.methods) ? trigger.methods.map((m) => String(m).toUpperCase()) : [];
    const cleanTemplate = template.replace(/^\/+|\/+$/g, '');
    routes.push({
      function: fn,
      trigger,
      displayTemplate: [routePrefix, cleanTemplate].filter((s) => s !== '').join('/'),
      route: compileRoute(cleanTemplate),
      methods,
      authLevel: typeof trigger.authLevel === 'string' ? trigger.authLevel : 'function',
      clientBindings: durableClientBindingNames(fn),
    });
  }
  return routes.sort((a, b) => compareRoutes(a.route, b.route));
}

export interface FrontDoorOptions {
  runtime: FunctionRuntime;
  durable: DurableService;
  routePrefix: string;
  log: LogFn;
  /** Largest request body accepted (default {@link MAX_REQUEST_BODY_BYTES}). */
  maxRequestBodyBytes?: number;
  /**
   * Bytes of request bodies held at once, all requests together (default: `maxRequestBodyBytes`). A body that does
   * not fit while others are buffered or being answered is refused with 503 and `Retry-After`.
   */
  maxBufferedBodyBytes?: number;
}

/** The bytes of request bodies held at once, reserved before they are read and released when the answer is done. */
class BodyBudget {
  #used = 0;
  constructor(readonly capacity: number) {}

  /** Reserves `bytes` until `res` closes; false (nothing reserved) when they do not fit. */
  reserve(bytes: number, res: ServerResponse): boolean {
    if (bytes === 0) return true;
    if (this.#used + bytes > this.capacity) return false;
    this.#used += bytes;
    res.once('close', () => (this.#used -= bytes));
    return true;
  }
}

function readBody(req: IncomingMessage, res: ServerResponse, limit: number, budget: BodyBudget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new LocalHostError('BODY_TOO_LARGE', `The request body exceeds the limit of ${limit} bytes`));
      return;
    }
    // A declared length is reserved whole before a byte is read; a chunked body chunk by chunk.
    const declaredBytes = Number.isFinite(declared) && declared > 0 ? declared : 0;
    if (!budget.reserve(declaredBytes, res)) {
      reject(new LocalHostError('HOST_BUSY', 'No room to buffer the request body'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error): void => {
      // Stop buffering; the error answer closes the connection, which discards the rest.
      chunks.length = 0;
      req.removeAllListeners('data');
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop(new LocalHostError('BODY_TOO_LARGE', `The request body exceeds the limit of ${limit} bytes`));
        return;
      }
      if (size > declaredBytes && !budget.reserve(chunk.length, res)) {
        stop(new LocalHostError('HOST_BUSY', 'No room to buffer the request body'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A Host header the request URL can be built on: `host[:port]` as RFC 9110 allows it (a name, IPv4 or a bracketed
 * IPv6 literal), without userinfo (`a@b`, which fetch refuses in a URL), a path or anything else.
 */
export function isValidHostHeader(host: string): boolean {
  if (!/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=]+)(?::\d{1,5})?$/.test(host)) {
    return false;
  }
  try {
    const url = new URL(`http://${host}/`);
    return url.username === '' && url.password === '' && url.pathname === '/';
  } catch {
    return false;
  }
}

function stripPrefix(pathname: string, routePrefix: string): string | undefined {
  const path = pathname.replace(/^\/+/, '');
  if (routePrefix === '') {
    return path;
  }
  const lowerPath = path.toLowerCase();
  const lowerPrefix = routePrefix.toLowerCase();
  if (lowerPath === lowerPrefix) {
    return '';
  }
  if (lowerPath.startsWith(`${lowerPrefix}/`)) {
    return path.slice(routePrefix.length + 1);
  }
  return undefined;
}

/** The origin the request was addressed to (`Host` header), falling back to the server's own; undefined if invalid. */
function requestOrigin(req: IncomingMessage, fallbackHost: string): string | undefined {
  const host = typeof req.headers.host === 'string' && req.headers.host !== '' ? req.headers.host : fallbackHost;
  return isValidHostHeader(host) ? `http://${host}` : undefined;
}

export interface FrontDoor {
  routes: HttpRoute[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createFrontDoor(options: FrontDoorOptions & { fallbackHost: () => string }): FrontDoor {
  const { runtime, durable, routePrefix, log } = options;
  const routes = buildHttpRoutes(runtime.list(), routePrefix);
  const maxBodyBytes = options.maxRequestBodyBytes ?? MAX_REQUEST_BODY_BYTES;
  const budget = new BodyBudget(options.maxBufferedBodyBytes ?? maxBodyBytes);

  async function dispatch(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const origin = requestOrigin(req, options.fallbackHost());
    if (origin === undefined) {
      sendHostError(res, 400, 'badRequest', 'Invalid Host header: expected host[:port].', {
        headers: { connection: 'close' },
      });
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      sendHostError(res, 400, 'badRequest', `Cannot parse the request URL "${req.url ?? ''}"`);
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();

    let body: Buffer;
    try {
      body = await readBody(req, res, maxBodyBytes, budget);
    } catch (err) {
      const code = err instanceof LocalHostError ? err.code : undefined;
      if (code === 'BODY_TOO_LARGE') {
        sendHostError(res, 413, 'payloadTooLarge', `The request body exceeds the limit of ${maxBodyBytes} bytes`, {
          headers: { connection: 'close' },
          details: { maxBytes: maxBodyBytes },
        });
      } else if (code === 'HOST_BUSY') {
        sendHostError(res, 503, 'hostBusy', 'The host is buffering other request bodies; retry later.', {
          headers: { connection: 'close', 'retry-after': String(BUSY_RETRY_AFTER_SECONDS) },
        });
      } else {
        res.destroy();
      }
      return;
    }

    const pathname = url.pathname;
    // The path only: a query string may carry a function key (`code=`).
    entry.path = pathname;
    if (DURABLE_PREFIXES.some((prefix) => pathname.toLowerCase().startsWith(prefix))) {
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) {
          headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
      }
      const instanceId = managementInstanceId(pathname);
      if (instanceId !== undefined) entry.instanceId = instanceId;
      const gone = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) gone.abort();
      });
      const answer = await durable.handleHttp({ method, url, headers, body, signal: gone.signal });
      if (answer) {
        const payload = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
        res.writeHead(answer.status, { ...answer.headers, 'content-length': payload.length });
        res.end(payload);
        return;
      }
    }

    const relative = stripPrefix(pathname, routePrefix);
    let allowed: string[] | undefined;
    if (relative !== undefined) {
      for (const route of routes) {
        const params = matchRoute(route.route, relative);
        if (!params) {
          continue;
        }
        if (route.methods.length > 0 && !route.methods.includes(method)) {
          allowed = [...(allowed ?? []), ...route.methods];
          continue;
        }
        const instanceId = routeInstanceId(params);
        if (instanceId !== undefined) entry.instanceId = instanceId;
        await invoke(route, { method, url, origin, body, params, rawHeaders: req.rawHeaders }, res);
        return;
      }
    }
    if (allowed) {
      const unique = [...new Set(allowed)];
      sendHostError(
        res,
        405,
        'methodNotAllowed',
        `Method ${method} is not allowed for ${pathname}; allowed: ${unique.join(', ')}`,
        { headers: { allow: unique.join(', ') } },
      );
      return;
    }
    sendHostError(res, 404, 'routeNotFound', `No function is registered for ${method} ${pathname}`);
  }

  async function invoke(
    route: HttpRoute,
    request: {
      method: string;
      url: URL;
      origin: string;
      body: Buffer;
      params: Record<string, string>;
      rawHeaders: string[];
    },
    res: ServerResponse,
  ): Promise<void> {
    const inputData = [
      { name: route.trigger.name, data: toRpcHttpRequest(request) },
      ...route.clientBindings.map((name) => ({ name, data: { string: durable.clientBindingJson(request.origin) } })),
    ];
    const result = await runtime.invoke(route.function.name, inputData, undefined, { quietSuccess: true });
    if (!result.ok) {
      // As the Functions host: a failed invocation is a 500 without details on the wire (they are in the log).
      res.writeHead(500, { 'content-length': 0 });
      res.end();
      return;
    }
    let outgoing;
    try {
      outgoing = fromRpcHttpResponse(result.returnValue);
    } catch (err) {
      log('error', `Functions.${route.function.name} returned an HTTP response the host cannot send: ${String(err)}`);
      res.writeHead(500, { 'content-length': 0 });
      res.end();
      return;
    }
    const headers: Record<string, string | string[]> = { ...outgoing.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(outgoing.body.length);
    res.writeHead(outgoing.status, headers);
    res.end(request.method === 'HEAD' ? undefined : outgoing.body);
  }

  return {
    routes,
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const started = performance.now();
      const method = (req.method ?? 'GET').toUpperCase();
      const entry: RequestLogEntry = { path: (req.url ?? '/').split('?')[0] ?? '/' };
      res.once('close', () => {
        const level = entry.path.toLowerCase().startsWith(CLIENT_RPC_PREFIX) ? 'debug' : 'info';
        const status = res.writableFinished ? res.statusCode : 'aborted';
        log(level, formatRequestLine(method, entry, status, performance.now() - started));
      });
      try {
        await dispatch(req, res, entry);
      } catch (err) {
        log(
          'error',
          `Request ${req.method ?? ''} ${req.url ?? ''} failed in the host: ${(err as Error).stack ?? String(err)}`,
        );
        if (!res.headersSent) {
          sendHostError(res, 500, 'hostError', 'The local host failed while serving this request');
        } else {
          res.destroy();
        }
      }
    },
  };
}
