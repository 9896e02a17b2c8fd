/**
 * Programmatic API of the local host for tests: runs the app in its own Node process (forked `child.js`) and talks
 * to it over real HTTP and an IPC channel.
 *
 * A separate process is needed because the host provides `@azure/functions-core` through Node's module loader,
 * which jest's module registry bypasses, and because `@azure/functions` keeps process-wide state; it also gives each
 * host a clean process whose environment (e.g. `NODE_EXTRA_CA_CERTS`) is fixed before it starts.
 *
 * @example
 * ```ts
 * const host = await createLocalHost({ clock: 'manual' });
 * try {
 *   const res = await host.dispatch('/api/orchestrators/Counter/c1', { method: 'POST' });
 *   expect(res.status).toBe(202);
 *   await host.advanceTime(60_000);
 *   const status = await host.waitForStatus('c1', (s) => s.runtimeStatus === 'Running');
 * } finally {
 *   await host.dispose();
 * }
 * ```
 */

import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { InvokeResult, RegisteredFunction, RpcParameterBinding, RpcTypedData } from './contracts';
import type { Backend } from './host';
import type { LocalHostErrorCode } from './errors';
import { LocalHostError, isLocalHostErrorCode } from './errors';
import type { ChildMessage, ChildStartOptions, ChildValue, ParentMessage, SerializedError, StartedValue } from './ipc';
import { deserializeError } from './ipc';
import { compiledPath } from './layout';

export { LocalHostError };
export type { LocalHostErrorCode };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface LocalHostOptions {
  /** Folder of the app (package.json with `main`, host.json). Default: this project's root. */
  appDir?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** `real` (default) or `manual`: a manual clock only moves with {@link LocalHost.advanceTime}. */
  clock?: 'real' | 'manual';
  /** Start time of the manual clock. Default: now. */
  startTime?: Date | number;
  /** Extra environment variables of the host process (set before it starts). */
  env?: Record<string, string>;
  /**
   * Forward the host's output to this process's stdout/stderr. Default: env `LOCAL_HOST_VERBOSE=1`. (Debug lines of
   * the host are written only with env `LOCAL_HOST_DEBUG=1`.)
   */
  verbose?: boolean;
  /** How long the host may take to start. Default 20 s on `memory`, 180 s on `azurite` (which may build first). */
  startTimeoutMs?: number;
  /**
   * `memory`: the in-memory emulator (needed by the manual clock). `azurite`: the real Durable extension on Azurite in
   * the .NET reference host. Default: env `LOCAL_HOST_BACKEND`, else `memory`.
   */
  backend?: Backend;
  /** `azurite` backend: Azurite's data folder (state kept across restarts); absent ⇒ in memory. */
  location?: string;
  /** `azurite` backend: storage to use instead of starting Azurite (e.g. one Azurite shared by two hosts). */
  storageConnectionString?: string;
}

/** The backend a host gets when its options do not name one: env `LOCAL_HOST_BACKEND`, else `memory`. */
export function defaultBackend(env: NodeJS.ProcessEnv = process.env): Backend {
  const value = env.LOCAL_HOST_BACKEND;
  if (value === undefined || value === '') return 'memory';
  if (value !== 'memory' && value !== 'azurite') {
    throw new LocalHostError('START_FAILED', `LOCAL_HOST_BACKEND must be memory or azurite, received "${value}"`);
  }
  return value;
}

/** The instance status JSON of the durable management API. */
export interface InstanceStatus {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  /** Only with `showHistory=true`. */
  historyEvents?: Array<Record<string, unknown>>;
}

const OUTPUT_LINES_KEPT = 50;
/** The compiled child entry the host process runs. */
export function childEntryPath(): string {
  return compiledPath('child.js');
}

interface Pending {
  /** The request is the start: its failure is the start's. */
  starting: boolean;
  resolve(value: ChildValue): void;
  reject(error: Error): void;
}

/**
 * One local host in its own process. Prefer {@link createLocalHost}; the class exists so that `dispose()` can be called
 * even when `ready` rejected.
 */
export class LocalHost {
  /**
   * Resolves once the host listens; rejects with a {@link LocalHostError} that includes the host's last output. An
   * error of the host process keeps its class and code (e.g. a `HostStartError` with code `APP_DIR_MISSING`); one
   * without a code is `START_FAILED`.
   */
  readonly ready: Promise<void>;
  readonly clock: 'real' | 'manual';
  readonly backend: Backend;

  #child: ChildProcess | undefined;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #output: string[] = [];
  #partial = { stdout: '', stderr: '' };
  #started: StartedValue | undefined;
  #exited: Promise<void>;
  #exitCode: number | null = null;
  #hasExited = false;
  #disposing: Promise<void> | undefined;

  constructor(options: LocalHostOptions = {}) {
    this.clock = options.clock ?? 'real';
    this.backend = options.backend ?? defaultBackend();
    const verbose = options.verbose ?? process.env.LOCAL_HOST_VERBOSE === '1';
    const entry = childEntryPath();
    if (!fs.existsSync(entry)) {
      this.#exited = Promise.resolve();
      this.#hasExited = true;
      this.ready = Promise.reject(
        new LocalHostError('BUILD_MISSING', `The compiled host ${entry} does not exist: run "npm run build" first`),
      );
      this.ready.catch(() => undefined);
      return;
    }
    const startTime = options.startTime ?? Date.now();
    const startOptions: ChildStartOptions = {
      appDir: path.resolve(options.appDir ?? process.cwd()),
      port: options.port ?? 0,
      host: '127.0.0.1',
      clock: this.clock,
      startTimeMs: startTime instanceof Date ? startTime.getTime() : startTime,
      backend: this.backend,
      ...(options.location === undefined ? {} : { location: options.location }),
      ...(options.storageConnectionString === undefined
        ? {}
        : { storageConnectionString: options.storageConnectionString }),
    };
    const child = fork(entry, [], {
      // The app runs in its own folder, as under `func start`; a missing folder is reported by the host itself.
      cwd: fs.existsSync(startOptions.appDir) ? startOptions.appDir : process.cwd(),
      env: { ...process.env, ...options.env },
      execArgv: ['--enable-source-maps'],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.#collect('stdout', chunk, verbose));
    child.stderr?.on('data', (chunk: Buffer) => this.#collect('stderr', chunk, verbose));
    child.on('message', (message: ChildMessage) => this.#onMessage(message));
    let exitedResolve: () => void = () => undefined;
    this.#exited = new Promise((resolve) => {
      exitedResolve = resolve;
      child.once('exit', (code, signal) => {
        this.#hasExited = true;
        this.#exitCode = code;
        const reason = signal ? `signal ${signal}` : `exit code ${String(code)}`;
        const error = this.#error('HOST_EXITED', `The local host process ended (${reason})`);
        for (const pending of this.#pending.values()) {
          pending.reject(error);
        }
        this.#pending.clear();
        resolve();
      });
    });
    child.once('error', (err) => {
      if (child.pid === undefined) {
        // Never spawned: no exit event follows.
        this.#hasExited = true;
        exitedResolve();
      }
      for (const pending of this.#pending.values()) {
        pending.reject(this.#error('HOST_ERROR', `The local host process failed: ${err.message}`));
      }
      this.#pending.clear();
    });

    const timeoutMs = options.startTimeoutMs ?? (this.backend === 'azurite' ? 180_000 : 20_000);
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(this.#error('START_TIMEOUT', `The local host did not start within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#request({ type: 'start', options: startOptions }).then(
        (value) => {
          clearTimeout(timer);
          this.#started = value as StartedValue;
          resolve();
        },
        (err: Error) => {
          clearTimeout(timer);
          reject(
            err instanceof LocalHostError && err.code !== 'HOST_ERROR'
              ? err
              : this.#error('START_FAILED', `The local host failed to start: ${err.message}`, err),
          );
        },
      );
    });
    this.ready.catch(() => undefined);
  }

  /** Base URL such as `http://127.0.0.1:40123`. */
  get url(): string {
    return this.#startedValue().url;
  }

  get port(): number {
    return this.#startedValue().port;
  }

  /** The host's most recent output lines (stdout and stderr interleaved). */
  output(): string[] {
    return [...this.#output];
  }

  /** Sends a request to the host: `path` is relative to {@link url} (or absolute). Uses the global `fetch`. */
  async dispatch(pathOrUrl: string, init?: RequestInit): Promise<Response> {
    return fetch(new URL(pathOrUrl, this.url), init);
  }

  /** Manual clock only: moves time forward, firing due durable timers in order and running the work they release. */
  async advanceTime(ms: number): Promise<void> {
    if (this.clock !== 'manual') {
      throw new LocalHostError('NOT_MANUAL_CLOCK', 'advanceTime needs a host created with { clock: "manual" }');
    }
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advanceTime expects a non-negative number of milliseconds, received ${String(ms)}`);
    }
    await this.#request({ type: 'advanceTime', ms });
  }

  /** Resolves once no orchestration episode, activity or entity batch is running or queued. */
  async whenIdle(): Promise<void> {
    await this.#request({ type: 'whenIdle' });
  }

  /** The functions the app registered, with their bindings exactly as registered. */
  async listFunctions(): Promise<RegisteredFunction[]> {
    return (await this.#request({ type: 'listFunctions' })) as RegisteredFunction[];
  }

  /** Invokes one function directly with RPC input data (as the Functions host would send it). */
  async invoke(
    name: string,
    inputData: RpcParameterBinding[],
    triggerMetadata?: Record<string, RpcTypedData>,
  ): Promise<InvokeResult> {
    return (await this.#request({
      type: 'invoke',
      name,
      inputData,
      ...(triggerMetadata ? { triggerMetadata } : {}),
    })) as InvokeResult;
  }

  /**
   * Polls `GET /runtime/webhooks/durabletask/instances/{id}` until `predicate(status)` holds and returns that status.
   * Rejects after `timeoutMs` (default 10 s) with the last status seen.
   */
  async waitForStatus(
    instanceId: string,
    predicate: (status: InstanceStatus) => boolean,
    options: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<InstanceStatus> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const intervalMs = options.intervalMs ?? 20;
    const deadline = Date.now() + timeoutMs;
    let last = 'no response yet';
    for (;;) {
      const res = await this.dispatch(`/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}`);
      const text = await res.text();
      if (res.status === 200 || res.status === 202) {
        const status = JSON.parse(text) as InstanceStatus;
        if (predicate(status)) {
          return status;
        }
        last = text;
      } else {
        last = `HTTP ${res.status}${text ? ` ${text}` : ''}`;
      }
      if (Date.now() >= deadline) {
        throw new LocalHostError(
          'STATUS_TIMEOUT',
          `Instance "${instanceId}" did not reach the expected status within ${timeoutMs} ms; last status: ${last}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** Stops the host process: idempotent, safe after a failed start, never throws. */
  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      const child = this.#child;
      if (!child || this.#hasExited) {
        return;
      }
      if (child.connected) {
        try {
          await Promise.race([this.#request({ type: 'dispose' }), delay(5_000)]);
        } catch {
          // the host is going away anyway; exit below
        }
      }
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
      if (child.connected) {
        child.disconnect();
      }
      await this.#exited;
      clearTimeout(killed);
    })();
    return this.#disposing;
  }

  /** Process id of the host process (undefined if it could not be spawned). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Exit code of the host process once it ended (null while running or after a signal). */
  get exitCode(): number | null {
    return this.#exitCode;
  }

  #startedValue(): StartedValue {
    if (!this.#started) {
      throw new LocalHostError('START_FAILED', 'The local host is not started (await createLocalHost / ready first)');
    }
    return this.#started;
  }

  #request(message: DistributiveOmit<ParentMessage, 'id'>): Promise<ChildValue> {
    const child = this.#child;
    if (this.#disposing && message.type !== 'dispose') {
      return Promise.reject(new LocalHostError('DISPOSED', 'The local host was disposed'));
    }
    if (!child || this.#hasExited || !child.connected) {
      return Promise.reject(this.#error('HOST_EXITED', 'The local host process is not running'));
    }
    const id = this.#nextId++;
    return new Promise<ChildValue>((resolve, reject) => {
      this.#pending.set(id, { starting: message.type === 'start', resolve, reject });
      child.send({ ...message, id }, (err) => {
        if (err) {
          this.#pending.delete(id);
          reject(this.#error('HOST_ERROR', `Cannot reach the local host process: ${err.message}`));
        }
      });
    });
  }

  #onMessage(message: ChildMessage): void {
    const pending = this.#pending.get(message.id);
    if (!pending) {
      return;
    }
    this.#pending.delete(message.id);
    if (message.ok) {
      pending.resolve(message.value);
    } else {
      pending.reject(this.#remoteError(message.error, pending.starting));
    }
  }

  #collect(stream: 'stdout' | 'stderr', chunk: Buffer, verbose: boolean): void {
    if (verbose) {
      (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
    }
    const text = this.#partial[stream] + chunk.toString('utf8');
    const lines = text.split('\n');
    this.#partial[stream] = lines.pop() ?? '';
    this.#output.push(...lines);
    if (this.#output.length > OUTPUT_LINES_KEPT) {
      this.#output.splice(0, this.#output.length - OUTPUT_LINES_KEPT);
    }
  }

  #error(code: LocalHostErrorCode, message: string, cause?: Error): LocalHostError {
    return new LocalHostError(code, this.#withOutput(message), cause ? { cause } : undefined);
  }

  /** `message` followed by the host's last output lines. */
  #withOutput(message: string): string {
    const output = [...this.#output, this.#partial.stdout, this.#partial.stderr].filter((l) => l !== '');
    return output.length > 0 ? `${message}\nLast output of the host:\n${output.join('\n')}` : message;
  }

  /**
   * An error of the host process as its own class and code. A failed start also names the start and carries the
   * host's last output; there an error without a code is `START_FAILED` (elsewhere `HOST_ERROR`).
   */
  #remoteError(serialized: SerializedError, starting: boolean): LocalHostError {
    if (!starting) return deserializeError(serialized, 'in the host process');
    const known = isLocalHostErrorCode(serialized.code) && serialized.code !== 'HOST_ERROR';
    return deserializeError(
      {
        ...serialized,
        code: known ? serialized.code : 'START_FAILED',
        message: this.#withOutput(`The local host failed to start: ${serialized.message}`),
      },
      'in the host process',
    );
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Starts a local host for the app and resolves once it listens. On failure the host process is cleaned up and the
 * error (a {@link LocalHostError}) carries the host's last output lines.
 */
export async function createLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const host = new LocalHost(options);
  try {
    await host.ready;
  } catch (err) {
    await host.dispose();
    throw err;
  }
  return host;
}
