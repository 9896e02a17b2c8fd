/**
 * The `durable-local-host` CLI: runs `func start` when Azure Functions Core Tools are on PATH, otherwise this local
 * host. The flags and variables are in {@link usage} (`durable-local-host --help`). SIGINT/SIGTERM stop cleanly.
 */

import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliUsageError } from './errors';
import { createRealClock } from './clock';
import type { Backend, RunningHost } from './host';
import { BACKENDS, ensureLocalSettingsFile, startHost } from './host';
import { displayOrigin, formatReadyBanner } from './http';
import { createConsoleLog } from './log';
import { watchParent } from './parentWatch';
import { findOnPath } from './path';

export { findOnPath };

export interface CliOptions {
  port: number;
  /** Interface the server binds to (default 127.0.0.1; 0.0.0.0 in a container). */
  host: string;
  appDir: string;
  useFunc: boolean;
  verbose: boolean;
  backend: Backend;
  /** Azurite's data folder (azurite backend); absent ⇒ in memory. */
  location?: string;
}

export { CliUsageError };

export const DEFAULT_PORT = 7071;
export const DEFAULT_BIND_HOST = '127.0.0.1';

export const usage = `Usage: durable-local-host [options]

Serves a compiled Azure Functions app: with Azure Functions Core Tools ("func start") when func is on PATH, otherwise
with this local host.

Options:
  --port N                    port to listen on (default ${DEFAULT_PORT}; 0 = a free port)
  --host ADDR                 address the local host binds (default ${DEFAULT_BIND_HOST}; 0.0.0.0 accepts other machines,
                              e.g. in a container)
  --app-dir DIR               serve another compiled app folder (default: the current folder)
  --backend memory|azurite    durable backend: the in-memory engine (default) or the real Durable extension on Azurite
  --location DIR              keep Azurite's data in DIR between runs (needs --backend azurite; default: in memory)
  --no-func                   use the local host even where Core Tools is installed
  --verbose                   debug lines (worker and engine chatter)
  --help                      print this help and exit

Environment variables (a flag wins over its variable):
  PORT=N                      as --port
  LOCAL_HOST_BACKEND=NAME     as --backend
  LOCAL_HOST_FORCE=1          as --no-func
  LOCAL_HOST_DEBUG=1          as --verbose

App settings come from local.settings.json (git-ignored); without it the local host reads local.settings.example.json,
and func start gets a copy of it.
Stop with Ctrl-C (SIGINT) or SIGTERM.`;

function readPort(text: string, source: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0 || value > 65535) {
    throw new CliUsageError(`${source} must be a port number between 0 and 65535, received "${text}"`);
  }
  return value;
}

function readBackend(text: string, source: string): Backend {
  const backend = BACKENDS.find((name) => name === text);
  if (backend === undefined) {
    throw new CliUsageError(`${source} must be one of ${BACKENDS.join(', ')}, received "${text}"`);
  }
  return backend;
}

function readFolder(text: string, flag: string, cwd: string): string {
  if (text === '') {
    throw new CliUsageError(`${flag} needs a folder`);
  }
  return path.resolve(cwd, text);
}

/** Reads the command line (`undefined` for `--help`); `env` supplies the variables listed in {@link usage}. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv, cwd: string): CliOptions | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'app-dir': { type: 'string' },
        backend: { type: 'string' },
        location: { type: 'string' },
        'no-func': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message}\nRun "durable-local-host --help" for the flags.`);
  }
  if (values.help) {
    return undefined;
  }
  const port =
    values.port !== undefined
      ? readPort(values.port, '--port')
      : env.PORT !== undefined && env.PORT !== ''
        ? readPort(env.PORT, 'PORT')
        : DEFAULT_PORT;
  const backend =
    values.backend !== undefined
      ? readBackend(values.backend, '--backend')
      : env.LOCAL_HOST_BACKEND
        ? readBackend(env.LOCAL_HOST_BACKEND, 'LOCAL_HOST_BACKEND')
        : 'memory';
  const host = values.host ?? DEFAULT_BIND_HOST;
  if (host.trim() === '') {
    throw new CliUsageError('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0');
  }
  const location = values.location === undefined ? undefined : readFolder(values.location, '--location', cwd);
  if (location !== undefined && backend !== 'azurite') {
    throw new CliUsageError('--location keeps Azurite state: it needs --backend azurite');
  }
  return {
    port,
    host,
    appDir: values['app-dir'] === undefined ? cwd : readFolder(values['app-dir'], '--app-dir', cwd),
    useFunc: !values['no-func'] && env.LOCAL_HOST_FORCE !== '1',
    verbose: values.verbose || env.LOCAL_HOST_DEBUG === '1',
    backend,
    ...(location === undefined ? {} : { location }),
  };
}

function runFunc(func: string, options: CliOptions): void {
  const created = ensureLocalSettingsFile(options.appDir);
  if (created !== undefined) {
    process.stdout.write(`${created}\n`);
  }
  process.stdout.write(`Azure Functions Core Tools found (${func}): running "func start --port ${options.port}"\n`);
  const child = spawn(func, ['start', '--port', String(options.port)], { cwd: options.appDir, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  watchParent(() => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

async function runLocalHost(options: CliOptions): Promise<void> {
  const log = createConsoleLog({ verbose: options.verbose });
  const state: { host?: RunningHost } = {};
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      process.stderr.write(`${reason} again: exiting without a clean shutdown\n`);
      process.exit(1);
    }
    stopping = true;
    log('info', `${reason}: shutting down`);
    void (state.host?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (err: unknown) => {
        log('error', `Shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => stop(`${signal} received`));
  }
  watchParent(() => stop('The parent process exited'));
  const host = await startHost({
    appDir: options.appDir,
    port: options.port,
    host: options.host,
    clock: createRealClock(),
    log,
    backend: options.backend,
    reference: options.location === undefined ? {} : { location: options.location },
  });
  state.host = host;
  if (stopping) {
    await host.close();
    return;
  }
  // Through the same log as the function list, so the lines come out in order.
  log(
    'info',
    formatReadyBanner({
      origin: displayOrigin(options.host, host.port),
      bindHost: options.host,
      pid: process.pid,
      coreTools: options.useFunc ? 'not found' : 'skipped',
      backend: options.backend,
      ...(options.location === undefined ? {} : { location: options.location }),
    }),
  );
}

export async function main(argv: string[]): Promise<void> {
  let parsed: CliOptions | undefined;
  try {
    parsed = parseCliArgs(argv, process.env, process.cwd());
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (parsed === undefined) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const options = parsed;
  const func = options.useFunc && options.backend === 'memory' ? findOnPath('func', process.env) : undefined;
  if (func) {
    runFunc(func, options);
    return;
  }
  try {
    await runLocalHost(options);
  } catch (err) {
    process.stderr.write(`The local host failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2));
}
