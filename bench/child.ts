/**
 * Servers under test run in their own process, so the load generator (in this process) and the server never share
 * an event loop. A child announces `{ type: 'ready', port }` over IPC and may answer `{ id, ... }` requests.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface ChildServer {
  port: number;
  pid: number;
  /** Sends `{ id, ...message }` and resolves with the child's `{ id, ... }` reply. */
  call<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Disconnects IPC (the child closes its server and exits), then kills it if it lingers. */
  stop(): Promise<void>;
}

export interface ForkOptions {
  args?: string[];
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** Read and drop the child's stdout (a host logs every invocation), keeping stderr visible. */
  quiet?: boolean;
}

interface Reply {
  id?: number;
  type?: string;
  port?: number;
  error?: string;
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null;
}

export async function forkServer(script: string, options: ForkOptions = {}): Promise<ChildServer> {
  const child = fork(script, options.args ?? [], {
    execArgv: options.execArgv ?? [],
    env: options.env ?? process.env,
    stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', 'inherit', 'ipc'],
  });
  child.stdout?.resume();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 1;

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${script} did not report ready within ${options.readyTimeoutMs ?? 30000} ms`));
    }, options.readyTimeoutMs ?? 30000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${String(code)} before it was ready`));
    });
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      if (message.type === 'ready' && typeof message.port === 'number') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${script} failed to start: ${message.error ?? 'unknown error'}`));
      }
    });
  });

  child.on('message', (message: unknown) => {
    if (!isReply(message) || message.id === undefined) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message);
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${script} exited with code ${String(code)}`));
    pending.clear();
  });

  return {
    port,
    pid: child.pid ?? -1,
    call<T>(message: Record<string, unknown>, timeoutMs = 600_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${script} did not answer ${JSON.stringify(message)} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        });
        child.send({ ...message, id });
      });
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
