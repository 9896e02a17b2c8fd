/**
 * Composition of the local host: reads host.json and local.settings.json, provides `@azure/functions-core`, loads the
 * app, creates the durable service and serves everything through one HTTP server.
 *
 * @example
 * ```ts
 * const host = await startHost({ appDir: process.cwd(), port: 7071, clock: createRealClock() });
 * // ... requests to host.url ...
 * await host.close();
 * ```
 */

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import type {
  Clock,
  CreateDurableService,
  DurableService,
  FunctionRuntime,
  HostJson,
  LogFn,
  RegisteredFunction,
} from './contracts';
import { unsupportedBindingWarnings } from './bindingSupport';
import { CoreRegistry, createFunctionRuntime, installCoreModule, loadApp, toHostLevel } from './core';
import { createDurableService } from './durable';
import { HostStartError } from './errors';
import {
  MAX_REQUEST_BODY_BYTES,
  createFrontDoor,
  formatAuthNotice,
  formatFunctionList,
  normaliseRoutePrefix,
  rawHostError,
} from './http';
import { createConsoleLog } from './log';
import { REFERENCE_HOST_DIR } from './layout';
import type { ReferenceBackendOptions } from './reference';
import { createReferenceDurableService } from './reference';

export interface StartHostOptions {
  /** Folder of the app: `package.json` (with `main`), `host.json`, optional `local.settings.json`. */
  appDir: string;
  /** Port to listen on; 0 picks a free one. Default 7071. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  clock: Clock;
  /** Environment variables set before the app loads (they win over local.settings.json). */
  env?: Record<string, string>;
  log?: LogFn;
  /** The durable engine factory. Default: the local host's engine (`durable/`). */
  createDurableService?: CreateDurableService;
  /**
   * `memory` (default): the in-memory emulator. `azurite`: the real Durable extension on Azurite, in the .NET
   * reference host (`reference/`). Ignored when `createDurableService` is given.
   */
  backend?: Backend;
  /** Options of the `azurite` backend. */
  reference?: ReferenceBackendOptions;
  /** The .NET reference host's project folder (the `azurite` backend builds and runs it from there). */
  referenceHostDir?: string;
}

export type Backend = 'memory' | 'azurite';
export const BACKENDS: readonly Backend[] = ['memory', 'azurite'];

export interface RunningHost {
  /** Base URL, e.g. `http://127.0.0.1:7071`. */
  url: string;
  port: number;
  hostJson: HostJson;
  runtime: FunctionRuntime;
  durable: DurableService;
  functions: RegisteredFunction[];
  /** Stops listening, closes every connection, runs appTerminate hooks and disposes the durable service. Idempotent. */
  close(): Promise<void>;
}

export { HostStartError };

function readJsonFile(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HostStartError('HOST_JSON_INVALID', `${file} is not valid JSON: ${(err as Error).message}`);
  }
}

export function readHostJson(appDir: string): HostJson {
  const file = path.join(appDir, 'host.json');
  if (!fs.existsSync(file)) {
    return {};
  }
  const parsed = readJsonFile(file);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HostStartError('HOST_JSON_INVALID', `${file} must contain a JSON object`);
  }
  return parsed as HostJson;
}

export const LOCAL_SETTINGS = 'local.settings.json';
/** The committed template of the git-ignored local.settings.json: no secrets, the values the app needs locally. */
export const LOCAL_SETTINGS_EXAMPLE = 'local.settings.example.json';

/**
 * Resolves `%Name%` app-setting references in the string values of `extensions.durableTask` (e.g. `"hubName":
 * "%TaskHubName%"`), as the Functions host does; a reference to a setting that is not set stops the start with an
 * error naming it.
 */
export function resolveDurableTaskSettings(hostJson: HostJson, env: NodeJS.ProcessEnv): HostJson {
  const durableTask = hostJson.extensions?.durableTask;
  if (durableTask === undefined) return hostJson;
  const resolve = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') {
      return value.replace(/%([^%]+)%/g, (_match, name: string) => {
        const setting = env[name];
        if (setting === undefined || setting === '') {
          throw new HostStartError(
            'APP_SETTING_MISSING',
            `host.json extensions.durableTask.${key} refers to the app setting %${name}%, which is not set (add it to local.settings.json Values or the environment)`,
            { details: { setting: name } },
          );
        }
        return setting;
      });
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolve(v, `${key}.${k}`)]),
      );
    }
    return value;
  };
  const resolved = Object.fromEntries(Object.entries(durableTask).map(([k, v]) => [k, resolve(v, k)]));
  return { ...hostJson, extensions: { ...hostJson.extensions, durableTask: resolved } };
}

/**
 * Copies `Values` of local.settings.json into `process.env` where a variable is not set yet. Without that file (a
 * fresh clone: it is git-ignored, as it may hold secrets) the committed local.settings.example.json is read instead,
 * and the host says so.
 */
export function applyLocalSettings(appDir: string, log: LogFn): void {
  let file = path.join(appDir, LOCAL_SETTINGS);
  if (!fs.existsSync(file)) {
    const example = path.join(appDir, LOCAL_SETTINGS_EXAMPLE);
    if (!fs.existsSync(example)) {
      return;
    }
    log(
      'info',
      `${LOCAL_SETTINGS} not found: using ${LOCAL_SETTINGS_EXAMPLE}. Copy it to ${LOCAL_SETTINGS} (git-ignored) for settings of your own, such as secrets.`,
    );
    file = example;
  }
  const parsed = readJsonFile(file) as { Values?: Record<string, unknown> } | null;
  const values = parsed?.Values ?? {};
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined && value !== null && value !== undefined) {
      process.env[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  log('debug', `Applied ${Object.keys(values).length} value(s) from ${path.basename(file)}`);
}

/**
 * For `func start`, which reads only local.settings.json: creates it from the example when it is missing. Returns
 * the line that says so, or undefined when nothing was done.
 */
export function ensureLocalSettingsFile(appDir: string): string | undefined {
  const file = path.join(appDir, LOCAL_SETTINGS);
  const example = path.join(appDir, LOCAL_SETTINGS_EXAMPLE);
  if (fs.existsSync(file) || !fs.existsSync(example)) {
    return undefined;
  }
  fs.copyFileSync(example, file, fs.constants.COPYFILE_EXCL);
  return `Created ${LOCAL_SETTINGS} from ${LOCAL_SETTINGS_EXAMPLE}; it is git-ignored: keep secrets such as APPLICATIONINSIGHTS_CONNECTION_STRING there.`;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(
        new HostStartError('LISTEN_FAILED', `Cannot listen on ${host}:${port}: ${err.message}`, {
          cause: err,
          details: { host, port },
        }),
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The Functions host's request body limit: `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT` (bytes), else 100 MB. */
export function requestBodySizeLimit(log: LogFn): number {
  const raw = process.env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT;
  if (raw === undefined || raw.trim() === '') return MAX_REQUEST_BODY_BYTES;
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    log(
      'warn',
      `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT="${raw}" is not a positive number of bytes; using ${MAX_REQUEST_BODY_BYTES}`,
    );
    return MAX_REQUEST_BODY_BYTES;
  }
  return bytes;
}

/** The responses each socket still owes, so a parser error never writes into the middle of one. */
class AnswersInFlight {
  readonly #bySocket = new WeakMap<Duplex, Set<{ req: http.IncomingMessage; res: http.ServerResponse }>>();

  add(req: http.IncomingMessage, res: http.ServerResponse): void {
    let pending = this.#bySocket.get(req.socket);
    if (pending === undefined) {
      pending = new Set();
      this.#bySocket.set(req.socket, pending);
    }
    const owed = pending;
    const exchange = { req, res };
    owed.add(exchange);
    res.once('close', () => owed.delete(exchange));
  }

  /**
   * Runs `then` once every response owed on `socket` for a complete request is done (at once when none is). A
   * request whose body the parser failed on gets no answer of its own: the parser error is its answer.
   */
  afterAnswers(socket: Duplex, then: () => void): void {
    const pending = [...(this.#bySocket.get(socket) ?? [])].filter((e) => e.req.complete).map((e) => e.res);
    if (pending.length === 0) {
      then();
      return;
    }
    let left = pending.length;
    for (const res of pending) {
      res.once('close', () => {
        left -= 1;
        if (left === 0) then();
      });
    }
  }
}

/** Starts the host. One host per process: the programming model keeps process-wide state. */
export async function startHost(options: StartHostOptions): Promise<RunningHost> {
  const log = options.log ?? createConsoleLog();
  const appDir = path.resolve(options.appDir);
  if (!fs.existsSync(appDir) || !fs.statSync(appDir).isDirectory()) {
    throw new HostStartError('APP_DIR_MISSING', `The app folder ${appDir} does not exist`, { details: { appDir } });
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    process.env[key] = value;
  }
  applyLocalSettings(appDir, log);
  const hostJson = resolveDurableTaskSettings(readHostJson(appDir), process.env);

  const registry = new CoreRegistry((level, category, message, functionName) => {
    const hostLevel = toHostLevel(level);
    if (!hostLevel) {
      return;
    }
    if (category === 'user') {
      log(hostLevel, functionName ? `[Functions.${functionName}] ${message}` : message);
    } else {
      // Worker and library chatter stays at debug unless it is a warning or an error.
      log(hostLevel === 'info' ? 'debug' : hostLevel, message);
    }
  });
  const uninstall = installCoreModule(registry.createCoreApi());
  let server: http.Server | undefined;
  let durable: DurableService | undefined;
  try {
    const files = await loadApp(appDir, registry);
    log('debug', `Loaded ${files.length} entry file(s): ${files.join(', ')}`);
    const runtime = createFunctionRuntime({ registry, log });
    const functions = runtime.list();

    const bindHost = options.host ?? '127.0.0.1';
    // Listen first: the azurite backend advertises the front door's origin, so it needs the port before it starts.
    const gate: { serve?: (req: http.IncomingMessage, res: http.ServerResponse) => void } = {};
    const waiting: Array<() => void> = [];
    const answering = new AnswersInFlight();
    server = http.createServer((req, res) => {
      answering.add(req, res);
      if (gate.serve) gate.serve(req, res);
      else waiting.push(() => gate.serve?.(req, res));
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      // Bytes the parser cannot read (stray bytes after a request, a broken request line). Never write onto a
      // socket whose answer is still being produced: let that answer go out whole, then refuse and close.
      answering.afterAnswers(socket, () => {
        if (!socket.writable || socket.writableEnded || err.code === 'ECONNRESET') {
          socket.destroy();
          return;
        }
        socket.end(
          err.code === 'HPE_HEADER_OVERFLOW'
            ? rawHostError(431, 'headersTooLarge', 'The request headers are too large.')
            : rawHostError(400, 'badRequest', `The request could not be parsed (${err.code ?? 'parse error'}).`),
        );
      });
    });
    const port = await listen(server, options.port ?? 7071, bindHost);
    // durable-functions rewrites management URLs to http://localhost:7071 unless this names the real host.
    process.env.WEBSITE_HOSTNAME = `localhost:${port}`;

    const serviceOptions = {
      functions: runtime,
      hostJson,
      clock: options.clock,
      log,
      rpcBaseUrl: () => `http://127.0.0.1:${port}/durabletask/`,
    };
    durable = options.createDurableService
      ? options.createDurableService(serviceOptions)
      : options.backend === 'azurite'
        ? await createReferenceDurableService({
            ...serviceOptions,
            ...options.reference,
            frontDoorOrigin: `http://localhost:${port}`,
            referenceHostDir: options.referenceHostDir ?? REFERENCE_HOST_DIR,
          })
        : createDurableService(serviceOptions);
    const durableService = durable;
    const frontDoor = createFrontDoor({
      runtime,
      durable: durableService,
      routePrefix: normaliseRoutePrefix(hostJson.extensions?.http?.routePrefix),
      maxRequestBodyBytes: requestBodySizeLimit(log),
      log,
      fallbackHost: () => `localhost:${port}`,
    });
    gate.serve = (req, res) => {
      void frontDoor.handle(req, res);
    };
    for (const release of waiting.splice(0)) release();

    const origin = `http://localhost:${port}`;
    log('info', formatFunctionList(functions, frontDoor.routes, origin));
    const authNotice = formatAuthNotice(frontDoor.routes);
    if (authNotice && frontDoor.routes.length > 0) {
      log('info', authNotice);
    }
    for (const warning of unsupportedBindingWarnings(functions)) {
      log('warn', warning);
    }

    const listening = server;
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => listening.close(() => resolve()));
        listening.closeIdleConnections();
        try {
          await durableService.dispose();
        } catch (err) {
          log('error', `Disposing the durable service failed: ${(err as Error).message}`);
        }
        listening.closeAllConnections();
        await stopped;
        try {
          await registry.executeHooks('appTerminate', {
            get hookData() {
              return registry.appLevelOnlyHookData;
            },
            get appHookData() {
              return registry.appHookData;
            },
          });
        } catch (err) {
          log('error', `An appTerminate hook failed: ${(err as Error).message}`);
        }
        uninstall();
      })();
      return closing;
    };
    return {
      url: `http://${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`,
      port,
      hostJson,
      runtime,
      durable: durableService,
      functions,
      close,
    };
  } catch (err) {
    if (server?.listening) {
      server.closeAllConnections();
      server.close();
    }
    await durable?.dispose().catch(() => undefined);
    uninstall();
    throw err;
  }
}
