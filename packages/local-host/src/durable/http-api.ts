/**
 * The Durable extension's HTTP management API, served on the public webhook base `/runtime/webhooks/durabletask/` and
 * the local RPC base `/durabletask/` (which the JS `DurableClient` calls): start, status, list, purge, raise event,
 * terminate, suspend, resume, rewind, restart and entities, with the extension's status codes and bodies.
 */
import type { HostHttpRequest, HostHttpResponse } from '../contracts';
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

/** An `ArgumentException` as the extension reports it (400). */
class ArgumentError extends Error {}

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

function argumentError(message: string): HostHttpResponse {
  return json(
    400,
    errorBody('One or more of the arguments submitted is incorrect', message, 'System.ArgumentException'),
  );
}

/** The extension's (3.19.0) answer to a start refused because an active instance exists: HTTP 409 with this body. */
export function alreadyExistsBody(status: RuntimeStatus): Record<string, string> {
  return { Message: `An Orchestration instance with the status ${status} already exists.` };
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
  if (Number.isNaN(ms)) throw new ArgumentError(`The '${name}' parameter must be a date-time; received '${value}'.`);
  return ms;
}

function parseStatuses(url: URL): RuntimeStatus[] | undefined {
  const value = url.searchParams.get('runtimeStatus');
  if (value === null || value.trim() === '') return undefined;
  return value.split(',').map((s) => {
    const found = STATUS_NAMES.find((n) => n.toLowerCase() === s.trim().toLowerCase());
    if (found === undefined) {
      throw new ArgumentError(
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

export function parseWaitOptions(url: URL): { timeoutMs: number; intervalMs: number } | undefined {
  const timeout = url.searchParams.get('timeout');
  if (timeout === null || timeout === '') return undefined;
  const seconds = Number(timeout);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ArgumentError(`The 'timeout' parameter must be a number of seconds; received '${timeout}'.`);
  }
  const interval = url.searchParams.get('pollingInterval');
  const intervalSeconds = interval === null || interval === '' ? 1 : Number(interval);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) {
    throw new ArgumentError(
      `The 'pollingInterval' parameter must be a positive number of seconds; received '${interval}'.`,
    );
  }
  if (interval !== null && interval !== '' && intervalSeconds > seconds) {
    // The extension's WaitForCompletionOrCreateCheckStatusResponseAsync check, word for word.
    throw new ArgumentError(`Total timeout ${seconds} should be bigger than retry timeout ${intervalSeconds}`);
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

/** JSON text of a request body, or an error response when it is not JSON. */
function jsonBodyText(body: Buffer): { ok: true; text: string } | { ok: false; response: HostHttpResponse } {
  const text = body.toString('utf8');
  try {
    return { ok: true, text: JSON.stringify(JSON.parse(text)) };
  } catch (err) {
    return {
      ok: false,
      response: json(
        400,
        errorBody(
          'Invalid JSON content',
          err instanceof Error ? err.message : String(err),
          'Newtonsoft.Json.JsonReaderException',
        ),
      ),
    };
  }
}

export class DurableHttpApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly taskHub: string,
  ) {}

  async handle(req: HostHttpRequest): Promise<HostHttpResponse | undefined> {
    const path = req.url.pathname;
    // ASP.NET routing, which serves the extension's API, compares literal segments case-insensitively.
    const lowerPath = path.toLowerCase();
    let rest: string;
    if (lowerPath.startsWith(`${WEBHOOK_PATH}/`)) rest = path.slice(WEBHOOK_PATH.length + 1);
    else if (lowerPath.startsWith(`${RPC_PATH}/`)) rest = path.slice(RPC_PATH.length + 1);
    else return undefined;
    let segments: string[];
    try {
      segments = rest.split('/').map((s) => decodeURIComponent(s));
    } catch {
      return argumentError(`The request path '${path}' is not validly percent-encoded.`);
    }
    try {
      return await this.route(req, segments);
    } catch (err) {
      if (err instanceof ArgumentError) return argumentError(err.message);
      const message = err instanceof Error ? err.message : String(err);
      return json(500, errorBody('Something went wrong while processing your request', message, 'System.Exception'));
    }
  }

  private async route(req: HostHttpRequest, s: string[]): Promise<HostHttpResponse> {
    const method = req.method.toUpperCase();
    const [rawArea, a, rawOperation, c, ...extra] = s;
    const area = rawArea?.toLowerCase();
    const b = area === 'instances' ? rawOperation?.toLowerCase() : rawOperation;
    if (area === 'orchestrators' && a !== undefined && a !== '' && c === undefined && method === 'POST') {
      return this.start(req, a, b === undefined || b === '' ? undefined : b);
    }
    if (area === 'instances' && extra.length === 0) {
      if (a === undefined || a === '') {
        if (b !== undefined) return this.notFound(req);
        if (method === 'GET') return this.list(req);
        if (method === 'DELETE') return this.purgeMany(req);
        return this.notFound(req);
      }
      if (b === undefined || b === '') {
        if (method === 'GET') return this.status(req, a);
        if (method === 'DELETE') return this.purgeOne(a);
        return this.notFound(req);
      }
      if (b === 'raiseevent' && c !== undefined && c !== '' && method === 'POST') return this.raiseEvent(req, a, c);
      if (c === undefined && method === 'POST') {
        switch (b) {
          case 'terminate':
          case 'suspend':
          case 'resume':
            return this.control(req, a, b);
          case 'rewind':
            return this.rewind(a);
          case 'restart':
            return this.restart(req, a);
        }
      }
      return this.notFound(req);
    }
    if (area === 'entities' && c === undefined) {
      if (b === undefined && method === 'GET') return this.listEntities(req, a === '' ? undefined : a);
      if (a !== undefined && a !== '' && b !== undefined) {
        const key = b === '$' ? '' : b;
        if (method === 'GET') return this.readEntity(a, key);
        if (method === 'POST' || method === 'DELETE') return this.signalEntity(req, a, key);
      }
    }
    return this.notFound(req);
  }

  private notFound(req: HostHttpRequest): HostHttpResponse {
    return json(404, { Message: `No durable management operation matches ${req.method} ${req.url.pathname}.` });
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
      return argumentError(unknownFunctionMessage(functionName, 'orchestrator', this.engine.orchestratorFunctions()));
    }
    const instanceId = requestedId ?? newGuidN();
    const problem = instanceIdProblem(instanceId);
    if (problem !== undefined) return argumentError(problem);
    let input: string | null = null;
    if (req.body.length > 0) {
      const parsed = jsonBodyText(req.body);
      if (!parsed.ok) return parsed.response;
      input = parsed.text;
    }
    const wait = parseWaitOptions(req.url);
    const result = await this.engine.startOrchestration(functionName, instanceId, input);
    if (!result.created) return json(409, alreadyExistsBody(result.record.runtimeStatus));
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
    if (record === undefined) return empty(404);
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
    if (!Number.isInteger(top) || top <= 0)
      throw new ArgumentError(`The 'top' parameter must be a positive integer; received '${topText}'.`);
    const token = req.headers[CONTINUATION_HEADER];
    let page;
    try {
      page = await this.engine.queryInstances(query, { top, ...(token ? { continuationToken: token } : {}) });
    } catch (err) {
      throw new ArgumentError(
        `The continuation token is not valid: ${err instanceof Error ? err.message : String(err)}`,
      );
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
      return json(
        412,
        `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${record.runtimeStatus}`,
      );
    }
    return (await this.engine.purge(instanceId)) ? json(200, { instancesDeleted: 1 }) : empty(404);
  }

  private async purgeMany(req: HostHttpRequest): Promise<HostHttpResponse> {
    const from = parseTime(req.url, 'createdTimeFrom');
    if (from === undefined) return json(400, { Message: "Please provide value for 'createdTimeFrom' parameter." });
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
    return deleted === 0 ? empty(404) : json(200, { instancesDeleted: deleted });
  }

  private async raiseEvent(req: HostHttpRequest, instanceId: string, eventName: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) return empty(404);
    if (isTerminal(record.runtimeStatus)) return empty(410);
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return json(400, { Message: 'Only application/json request content is supported' });
    }
    const parsed = jsonBodyText(req.body);
    if (!parsed.ok) return parsed.response;
    await this.engine.raiseEvent(instanceId, eventName, parsed.text);
    return empty(202);
  }

  private async control(
    req: HostHttpRequest,
    instanceId: string,
    kind: 'terminate' | 'suspend' | 'resume',
  ): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) return empty(404);
    if (isTerminal(record.runtimeStatus)) return empty(410);
    // The extension refuses a suspend of a Suspended instance and a resume of one that is not (500, observed).
    const refused =
      kind === 'suspend' && record.runtimeStatus === 'Suspended'
        ? 'suspend'
        : kind === 'resume' && record.runtimeStatus !== 'Suspended'
          ? 'resume'
          : undefined;
    if (refused !== undefined) {
      return json(
        500,
        errorBody(
          'Something went wrong while processing your request',
          `Cannot ${refused} the orchestration instance ${instanceId} because instance is in the ${record.runtimeStatus} state.`,
          'System.InvalidOperationException',
        ),
      );
    }
    await this.engine.control(instanceId, kind, req.url.searchParams.get('reason'));
    return empty(202);
  }

  private async rewind(instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) return empty(404);
    if (record.runtimeStatus !== 'Failed') {
      return json(
        412,
        `This orchestration has status ${record.runtimeStatus}, but only orchestrations in the "Failed" state can be rewound.`,
      );
    }
    // Plain text: the JS client uses a non-empty body as its error message as is.
    return {
      status: 501,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'The rewind operation is not supported by the underlying storage provider (the local host keeps no rewindable history).',
    };
  }

  private async restart(req: HostHttpRequest, instanceId: string): Promise<HostHttpResponse> {
    const record = await this.engine.getInstance(instanceId);
    if (record === undefined) return argumentError('InstanceId does not match a valid orchestration instance.');
    const newId = parseBool(req.url.searchParams.get('restartWithNewInstanceId'), true) ? newGuidN() : instanceId;
    const result = await this.engine.startOrchestration(record.name, newId, record.input);
    if (!result.created) return json(409, alreadyExistsBody(result.record.runtimeStatus));
    return this.checkStatus(req, newId);
  }

  private async readEntity(name: string, key: string): Promise<HostHttpResponse> {
    const entity = await this.engine.readEntity(entitySchedulerId(name, key));
    if (entity === undefined || !entity.exists) return empty(404);
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
      const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (mediaType === 'application/json') {
        const parsed = jsonBodyText(req.body);
        if (!parsed.ok) return parsed.response;
        input = parsed.text;
      } else {
        input = JSON.stringify(req.body.toString('utf8'));
      }
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
