/**
 * The Durable extension's HTTP management API, served on the public webhook base `/runtime/webhooks/durabletask/` and
 * the local RPC base `/durabletask/` (which the JS `DurableClient` calls): start, status, list, purge, raise event,
 * terminate, suspend, resume, rewind, restart and entities, with the extension's status codes and bodies.
 *
 * The operations are a route table (method and template, matched as ASP.NET routing does: literal segments in any
 * letter case, parameters URL-decoded); handlers answer success and throw an {@link HttpError} for every refusal,
 * which {@link errorResponse} writes.
 */
import type { HostHttpRequest, HostHttpResponse } from '../contracts';
import { HttpError } from '../errors';
import type { CompiledRoute } from '../http/routes';
import { compareRoutes, compileRoute, matchRoute } from '../http/routes';
import type { InstanceQuery, InstanceRecord, RuntimeStatus } from '../store/types';
import { isTerminal } from '../store/types';
import type { DurableEngine } from './engine';
import { entitySchedulerId, unknownFunctionMessage } from './names';
import { newGuidN } from './history';
import { formatStatusTime, parseToJToken, statusPayload } from './status';
import { RPC_PATH, WEBHOOK_PATH, checkStatusBody } from './urls';

const CONTINUATION_HEADER = 'x-ms-continuation-token';
const MAX_INSTANCE_ID_LENGTH = 100;
const DEFAULT_PAGE_SIZE = 100;
const STATUS_NAMES: readonly RuntimeStatus[] = [
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Pending',
  'Suspended',
];

function json(status: number, body: unknown, headers: Record<string, string> = {}): HostHttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

const empty = (status: number, headers: Record<string, string> = {}): HostHttpResponse => ({
  status,
  headers,
  body: '',
});

function errorBody(message: string, exceptionMessage: string, exceptionType: string): Record<string, string> {
  return {
    Message: message,
    ExceptionMessage: exceptionMessage,
    ExceptionType: exceptionType,
    StackTrace: `   at DurableTask.LocalHost.HttpApiHandler.HandleRequestAsync() in local-host/durable/http-api.ts`,
  };
}

/** An `ArgumentException` as the extension reports it (400). */
function argumentError(message: string): HttpError {
  return new HttpError(
    'BAD_ARGUMENT',
    400,
    { json: errorBody('One or more of the arguments submitted is incorrect', message, 'System.ArgumentException') },
    message,
  );
}

/** The extension's empty 404 for an instance or entity it does not know. */
const notFound = (): HttpError => new HttpError('NOT_FOUND', 404, undefined, 'Not found');

/** The extension's empty 410 for an instance that has ended. */
const ended = (): HttpError => new HttpError('INSTANCE_ENDED', 410, undefined, 'The instance has ended');

/** The answer to a refusal: the error's status and body; an error that is no {@link HttpError} is a 500. */
export function errorResponse(err: unknown): HostHttpResponse {
  if (err instanceof HttpError) {
    if (err.body === undefined) return empty(err.status);
    if ('text' in err.body) {
      return { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: err.body.text };
    }
    return json(err.status, err.body.json);
  }
  const message = err instanceof Error ? err.message : String(err);
  return json(500, errorBody('Something went wrong while processing your request', message, 'System.Exception'));
}

/** The extension's (3.19.0) answer to a start refused because an active instance exists: HTTP 409 with this body. */
export function alreadyExistsBody(status: RuntimeStatus): Record<string, string> {
  return { Message: `An Orchestration instance with the status ${status} already exists.` };
}

/** The 409 of a start refused because an active instance exists. */
function alreadyExists(status: RuntimeStatus): HttpError {
  return new HttpError('INSTANCE_EXISTS', 409, { json: alreadyExistsBody(status) });
}

/** Why an instance id cannot be used, or undefined when it can (the extension's `StartNewAsync` checks). */
export function instanceIdProblem(instanceId: string): string | undefined {
  if (instanceId.startsWith('@')) return `Orchestration instance ids must not start with @. Received '${instanceId}'.`;
  if (/[/\\?#]/.test(instanceId)) {
    return `Instance ID '${instanceId}' contains invalid characters: instance ids must not contain /, \\, ? or #.`;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is rejected
  if (/[\u0000-\u001f\u007f-\u009f]/.test(instanceId)) {
    return `Instance ID '${instanceId}' contains control characters, which are not allowed.`;
  }
  if (instanceId.length > MAX_INSTANCE_ID_LENGTH) {
    return `Instance ID lengths must not exceed ${MAX_INSTANCE_ID_LENGTH} characters. Received ${instanceId.length}.`;
  }
  return undefined;
}

function parseBool(value: string | null, fallback: boolean): boolean {
  if (value === null) return fallback;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fallback;
}

function parseTime(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw argumentError(`The '${name}' parameter must be a date-time; received '${value}'.`);
  return ms;
}

function parseStatuses(url: URL): RuntimeStatus[] | undefined {
  const value = url.searchParams.get('runtimeStatus');
  if (value === null || value.trim() === '') return undefined;
  return value.split(',').map((s) => {
    const found = STATUS_NAMES.find((n) => n.toLowerCase() === s.trim().toLowerCase());
    if (found === undefined) {
      throw argumentError(
        `The 'runtimeStatus' parameter contains '${s}', which is not one of: ${STATUS_NAMES.join(', ')}.`,
      );
    }
    return found;
  });
}

/**
 * The longest a start-and-wait request waits: Azure's front end ends any request after 230 s, so a longer `timeout`
 * could never be answered there.
 */
export const MAX_WAIT_SECONDS = 230;

/** The `?timeout=&pollingInterval=` of a start-and-wait, or undefined without `timeout`; throws the extension's 400. */
export function parseWaitOptions(url: URL): { timeoutMs: number; intervalMs: number } | undefined {
  const timeout = url.searchParams.get('timeout');
  if (timeout === null || timeout === '') return undefined;
  const seconds = Number(timeout);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw argumentError(`The 'timeout' parameter must be a number of seconds; received '${timeout}'.`);
  }
  const interval = url.searchParams.get('pollingInterval');
  const intervalSeconds = interval === null || interval === '' ? 1 : Number(interval);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) {
    throw argumentError(
      `The 'pollingInterval' parameter must be a positive number of seconds; received '${interval}'.`,
    );
  }
  if (interval !== null && interval !== '' && intervalSeconds > seconds) {
    // The extension's WaitForCompletionOrCreateCheckStatusResponseAsync check, word for word.
    throw argumentError(`Total timeout ${seconds} should be bigger than retry timeout ${intervalSeconds}`);
  }
  return { timeoutMs: Math.min(seconds, MAX_WAIT_SECONDS) * 1000, intervalMs: intervalSeconds * 1000 };
}

/** Waits `ms`, or less when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** JSON text of a request body (normalised); throws the extension's 400 when it is not JSON. */
function jsonBodyText(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new HttpError(
      'BAD_JSON',
      400,
      { json: errorBody('Invalid JSON content', message, 'Newtonsoft.Json.JsonReaderException') },
      message,
    );
  }
}

/** The media type of a request, lower case, without parameters. */
function mediaType(req: HostHttpRequest): string | undefined {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
}

/** A route parameter the template makes required. */
function param(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined) throw new Error(`The route matched without its parameter ${name}`);
  return value;
}

/** The management path under the webhook or RPC base (still URL-encoded), or undefined for any other path. */
function managementPath(pathname: string): string | undefined {
  // ASP.NET routing, which serves the extension's API, compares literal segments case-insensitively.
  const lower = pathname.toLowerCase();
  if (lower.startsWith(`${WEBHOOK_PATH}/`)) return pathname.slice(WEBHOOK_PATH.length + 1);
  if (lower.startsWith(`${RPC_PATH}/`)) return pathname.slice(RPC_PATH.length + 1);
  return undefined;
}

type Params = Record<string, string>;

/** One operation of the management API: a method and a template under the base, and its handler. */
interface ManagementRoute {
  method: 'GET' | 'POST' | 'DELETE';
  route: CompiledRoute;
  handle: (api: DurableHttpApi, req: HostHttpRequest, params: Params) => Promise<HostHttpResponse>;
}

function operation(
  method: ManagementRoute['method'],
  template: string,
  handle: ManagementRoute['handle'],
): ManagementRoute {
  return { method, route: compileRoute(template), handle };
}

export class DurableHttpApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly taskHub: string,
  ) {}

  /**
   * The operations, more literal templates first (as the front door orders function routes). A path that matches a
   * template only with another method is not found (404), as in the extension, which answers no 405.
   */
  private static readonly operations: readonly ManagementRoute[] = [
    operation('POST', 'orchestrators/{functionName}/{instanceId?}', (api, req, p) =>
      api.start(req, param(p, 'functionName'), p.instanceId),
    ),
    operation('GET', 'instances', (api, req) => api.list(req)),
    operation('DELETE', 'instances', (api, req) => api.purgeMany(req)),
    operation('GET', 'instances/{instanceId}', (api, req, p) => api.status(req, param(p, 'instanceId'))),
    operation('DELETE', 'instances/{instanceId}', (api, _req, p) => api.purgeOne(param(p, 'instanceId'))),
    operation('POST', 'instances/{instanceId}/raiseEvent/{eventName}', (api, req, p) =>
      api.raiseEvent(req, param(p, 'instanceId'), param(p, 'eventName')),
    ),
    ...(['terminate', 'suspend', 'resume'] as const).map((kind) =>
      operation('POST', `instances/{instanceId}/${kind}`, (api, req, p) =>
        api.control(req, param(p, 'instanceId'), kind),
      ),
    ),
    operation('POST', 'instances/{instanceId}/rewind', (api, _req, p) => api.rewind(param(p, 'instanceId'))),
    operation('POST', 'instances/{instanceId}/restart', (api, req, p) => api.restart(req, param(p, 'instanceId'))),
    operation('GET', 'entities/{entityName?}', (api, req, p) => api.listEntities(req, p.entityName)),
    // `$` stands for the empty key.
    ...(['GET', 'POST', 'DELETE'] as const).map((method) =>
      operation(method, 'entities/{entityName}/{entityKey}', (api, req, p) => {
        const name = param(p, 'entityName');
        const key = param(p, 'entityKey') === '$' ? '' : param(p, 'entityKey');
        return method === 'GET' ? api.readEntity(name, key) : api.signalEntity(req, name, key);
      }),
    ),
  ].sort((a, b) => compareRoutes(a.route, b.route));

  /** The answer to a management request, or undefined when the path is not under the webhook or RPC base. */
  async handle(req: HostHttpRequest): Promise<HostHttpResponse | undefined> {
    const path = managementPath(req.url.pathname);
    if (path === undefined) return undefined;
    try {
      return await this.dispatch(req, path);
    } catch (err) {
      return errorResponse(err);
    }
  }

  private dispatch(req: HostHttpRequest, path: string): Promise<HostHttpResponse> {
    try {
      decodeURIComponent(path);
    } catch {
      throw argumentError(`The request path '${req.url.pathname}' is not validly percent-encoded.`);
    }
    const method = req.method.toUpperCase();
    for (const { method: accepted, route, handle } of DurableHttpApi.operations) {
      if (accepted !== method) continue;
      const params = matchRoute(route, path);
      if (params !== undefined) return handle(this, req, params);
    }
    const message = `No durable management operation matches ${req.method} ${req.url.pathname}.`;
    throw new HttpError('OPERATION_NOT_FOUND', 404, { json: { Message: message } }, message);
  }

  private checkStatus(req: HostHttpRequest, instanceId: string): HostHttpResponse {
    const body = checkStatusBody(req.url.origin, this.taskHub, instanceId);
    return json(202, body, { location: body.statusQueryGetUri, 'retry-after': '10' });
  }

  private async start(
    req: HostHttpRequest,
    functionName: string,
    requestedId: string | undefined,
  ): Promise<HostHttpResponse> {
    if (!this.engine.isOrchestrator(functionName)) {
      throw argumentError(unknownFunctionMessage(functionName, 'orchestrator', this.engine.orchestratorFunctions()));
    }
    const instanceId = requestedId ?? newGuidN();
    const problem = instanceIdProblem(instanceId);
    if (problem !== undefined) throw argumentError(problem);
    const input = req.body.length > 0 ? jsonBodyText(req.body) : null;
    const wait = parseWaitOptions(req.url);
    const result = await this.engine.startOrchestration(functionName, instanceId, input);
    if (!result.created) throw alreadyExists(result.record.runtimeStatus);
    if (wait !== undefined) return this.waitForCompletion(req, instanceId, wait);
    return this.checkStatus(req, instanceId);
  }

  /** The `?timeout=&pollingInterval=` start variant: the output when done in time, else the check-status response. */
  private async waitForCompletion(
    req: HostHttpRequest,
    instanceId: string,
    wait: { timeoutMs: number; intervalMs: number },
  ): Promise<HostHttpResponse> {
    // Real time on purpose: the caller's HTTP request is waiting in real time, whatever clock drives the timers.
    const deadline = Date.now() + wait.timeoutMs;
    for (;;) {
      const record = await this.engine.getInstance(instanceId);
      if (record?.runtimeStatus === 'Completed') {
        return {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: record.output ?? 'null',
        };
      }
      if (record !== undefined && isTerminal(record.runtimeStatus)) return this.status(req, instanceId);
      const left = deadline - Date.now();
      if (left <= 0 || req.signal?.aborted === true) return this.checkStatus(req, instanceId);
      await pause(Math.min(wait.intervalMs, left), req.signal);
    }
  }

  private async status(req: HostHttpRequest, instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) throw notFound();
    const q = req.url.searchParams;
    const options = {
      showInput: parseBool(q.get('showInput'), true),
      showHistory: parseBool(q.get('showHistory'), false),
      showHistoryOutput: parseBool(q.get('showHistoryOutput'), false),
    };
    const history = options.showHistory ? await this.engine.getHistory(record) : undefined;
    const body = statusPayload(record, options, history);
    switch (record.runtimeStatus) {
      case 'Pending':
      case 'Running':
      case 'ContinuedAsNew':
      case 'Suspended':
        return json(202, body, { location: req.url.toString(), 'retry-after': '5' });
      case 'Failed':
        return json(parseBool(q.get('returnInternalServerErrorOnFailure'), false) ? 500 : 200, body);
      default:
        return json(200, body);
    }
  }

  private async list(req: HostHttpRequest): Promise<HostHttpResponse> {
    const q = req.url.searchParams;
    const query: InstanceQuery = {};
    const prefix = q.get('instanceIdPrefix');
    if (prefix !== null && prefix !== '') query.instanceIdPrefix = prefix;
    const from = parseTime(req.url, 'createdTimeFrom');
    const to = parseTime(req.url, 'createdTimeTo');
    const statuses = parseStatuses(req.url);
    if (from !== undefined) query.createdTimeFrom = from;
    if (to !== undefined) query.createdTimeTo = to;
    if (statuses !== undefined) query.runtimeStatus = statuses;
    const topText = q.get('top');
    const top = topText === null || topText === '' ? DEFAULT_PAGE_SIZE : Number(topText);
    if (!Number.isInteger(top) || top <= 0) {
      throw argumentError(`The 'top' parameter must be a positive integer; received '${topText}'.`);
    }
    const token = req.headers[CONTINUATION_HEADER];
    let page;
    try {
      page = await this.engine.queryInstances(query, { top, ...(token ? { continuationToken: token } : {}) });
    } catch (err) {
      throw argumentError(`The continuation token is not valid: ${err instanceof Error ? err.message : String(err)}`);
    }
    const showInput = parseBool(q.get('showInput'), true);
    const body = page.instances.map((r: InstanceRecord) =>
      statusPayload(r, { showInput, showHistory: false, showHistoryOutput: false }),
    );
    // The JS client keeps paging while this header is truthy, so the last page carries an empty value.
    return json(200, body, { [CONTINUATION_HEADER]: page.continuationToken ?? '' });
  }

  private async purgeOne(instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record !== undefined && !isTerminal(record.runtimeStatus)) {
      throw new HttpError('INSTANCE_STATE', 412, {
        json: `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${record.runtimeStatus}`,
      });
    }
    if (!(await this.engine.purge(instanceId))) throw notFound();
    return json(200, { instancesDeleted: 1 });
  }

  private async purgeMany(req: HostHttpRequest): Promise<HostHttpResponse> {
    const from = parseTime(req.url, 'createdTimeFrom');
    if (from === undefined) {
      throw new HttpError('BAD_ARGUMENT', 400, {
        json: { Message: "Please provide value for 'createdTimeFrom' parameter." },
      });
    }
    const to = parseTime(req.url, 'createdTimeTo') ?? this.engine.now();
    const statuses = parseStatuses(req.url);
    const query: InstanceQuery = { createdTimeFrom: from, createdTimeTo: to };
    if (statuses !== undefined) query.runtimeStatus = statuses;
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.engine.queryInstances(query, {
        top: 1000,
        ...(token ? { continuationToken: token } : {}),
      });
      ids.push(...page.instances.map((r) => r.instanceId));
      token = page.continuationToken;
    } while (token !== undefined);
    let deleted = 0;
    for (const id of ids) if (await this.engine.purge(id)) deleted++;
    if (deleted === 0) throw notFound();
    return json(200, { instancesDeleted: deleted });
  }

  private async raiseEvent(req: HostHttpRequest, instanceId: string, eventName: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) throw notFound();
    if (isTerminal(record.runtimeStatus)) throw ended();
    if (mediaType(req) !== 'application/json') {
      throw new HttpError('BAD_CONTENT_TYPE', 400, {
        json: { Message: 'Only application/json request content is supported' },
      });
    }
    await this.engine.raiseEvent(instanceId, eventName, jsonBodyText(req.body));
    return empty(202);
  }

  private async control(
    req: HostHttpRequest,
    instanceId: string,
    kind: 'terminate' | 'suspend' | 'resume',
  ): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) throw notFound();
    if (isTerminal(record.runtimeStatus)) throw ended();
    // The extension refuses a suspend of a Suspended instance and a resume of one that is not (500, observed).
    const refused =
      kind === 'suspend' && record.runtimeStatus === 'Suspended'
        ? 'suspend'
        : kind === 'resume' && record.runtimeStatus !== 'Suspended'
          ? 'resume'
          : undefined;
    if (refused !== undefined) {
      const message = `Cannot ${refused} the orchestration instance ${instanceId} because instance is in the ${record.runtimeStatus} state.`;
      throw new HttpError(
        'INSTANCE_STATE',
        500,
        {
          json: errorBody(
            'Something went wrong while processing your request',
            message,
            'System.InvalidOperationException',
          ),
        },
        message,
      );
    }
    await this.engine.control(instanceId, kind, req.url.searchParams.get('reason'));
    return empty(202);
  }

  private async rewind(instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) throw notFound();
    if (record.runtimeStatus !== 'Failed') {
      throw new HttpError('INSTANCE_STATE', 412, {
        json: `This orchestration has status ${record.runtimeStatus}, but only orchestrations in the "Failed" state can be rewound.`,
      });
    }
    // Plain text: the JS client uses a non-empty body as its error message as is.
    throw new HttpError('NOT_SUPPORTED', 501, {
      text: 'The rewind operation is not supported by the underlying storage provider (the local host keeps no rewindable history).',
    });
  }

  private async restart(req: HostHttpRequest, instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) throw argumentError('InstanceId does not match a valid orchestration instance.');
    const newId = parseBool(req.url.searchParams.get('restartWithNewInstanceId'), true) ? newGuidN() : instanceId;
    const result = await this.engine.startOrchestration(record.name, newId, record.input);
    if (!result.created) throw alreadyExists(result.record.runtimeStatus);
    return this.checkStatus(req, newId);
  }

  private async readEntity(name: string, key: string): Promise<HostHttpResponse> {
    const entity = await this.engine.readEntity(entitySchedulerId(name, key));
    if (entity === undefined || !entity.exists) throw notFound();
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: entity.state ?? 'null',
    };
  }

  private async signalEntity(req: HostHttpRequest, name: string, key: string): Promise<HostHttpResponse> {
    const operation = req.method.toUpperCase() === 'DELETE' ? 'delete' : (req.url.searchParams.get('op') ?? '');
    let input: string | null = null;
    if (req.body.length > 0) {
      input =
        mediaType(req) === 'application/json' ? jsonBodyText(req.body) : JSON.stringify(req.body.toString('utf8'));
    }
    await this.engine.signalEntity(entitySchedulerId(name, key), operation, input);
    return empty(202);
  }

  private async listEntities(req: HostHttpRequest, name: string | undefined): Promise<HostHttpResponse> {
    const fetchState = parseBool(req.url.searchParams.get('fetchState'), false);
    const entities = (await this.engine.listEntities()).filter(
      (e) => e.exists && (name === undefined || e.name === name.toLowerCase()),
    );
    const body = entities.map((e) => ({
      entityId: { name: e.name, key: e.key },
      lastOperationTime: formatStatusTime(e.lastOperationTime),
      ...(fetchState ? { state: parseToJToken(e.state) } : {}),
    }));
    return json(200, body, { [CONTINUATION_HEADER]: '' });
  }
}
