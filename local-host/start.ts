/**
 * `npm start`: runs `func start` when Azure Functions Core Tools are on PATH, otherwise this local host.
 *
 * Flags: `--port N` (else env `PORT`, else 7071), `--app-dir DIR` (default: the current folder), `--no-func` (or env
 * `LOCAL_HOST_FORCE=1`) to skip the Core Tools lookup, `--verbose` (or env `LOCAL_HOST_DEBUG=1`) for debug logs. SIGINT/SIGTERM stop cleanly.
 */

import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRealClock } from './clock';
import type { Backend, RunningHost } from './host';
import { BACKENDS, startHost } from './host';
import { createConsoleLog } from './log';
import { findOnPath } from './path';

export { findOnPath };

export interface CliOptions {
  port: number;
  appDir: string;
  useFunc: boolean;
  verbose: boolean;
  backend: Backend;
  /** Azurite's data folder (azurite backend); absent ⇒ in memory. */
  location?: string;
}

export class CliUsageError extends Error {}

/** Reads the command line; `env` supplies `PORT` and `LOCAL_HOST_FORCE`. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv, cwd: string): CliOptions {
  let port: number | undefined;
  let appDir = cwd;
  let useFunc = env.LOCAL_HOST_FORCE !== '1';
  let verbose = env.LOCAL_HOST_DEBUG === '1';
  let location: string | undefined;
  const readBackend = (text: string | undefined, source: string): Backend => {
    if (!BACKENDS.includes(text as Backend)) {
      throw new CliUsageError(`${source} must be one of ${BACKENDS.join(', ')}, received "${text ?? ''}"`);
    }
    return text as Backend;
  };
  let backend: Backend = env.LOCAL_HOST_BACKEND ? readBackend(env.LOCAL_HOST_BACKEND, 'LOCAL_HOST_BACKEND') : 'memory';
  const readPort = (text: string | undefined, source: string): number => {
    const value = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isInteger(value) || value < 0 || value > 65535) {
      throw new CliUsageError(`${source} must be a port number between 0 and 65535, received "${text ?? ''}"`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        port = readPort(value(), '--port');
        break;
      case '--app-dir': {
        const dir = value();
        if (!dir) {
          throw new CliUsageError('--app-dir needs a folder');
        }
        appDir = path.resolve(cwd, dir);
        break;
      }
      case '--backend':
        backend = readBackend(value(), '--backend');
        break;
      case '--location': {
        const dir = value();
        if (!dir) {
          throw new CliUsageError('--location needs a folder');
        }
        location = path.resolve(cwd, dir);
        break;
      }
      case '--no-func':
        useFunc = false;
        break;
      case '--verbose':
        verbose = true;
        break;
      default:
        throw new CliUsageError(
          `Unknown argument "${arg}" (known: --port N, --app-dir DIR, --backend memory|azurite, --location DIR, --no-func, --verbose)`,
        );
    }
  }
  if (port === undefined) {
    port = env.PORT !== undefined && env.PORT !== '' ? readPort(env.PORT, 'PORT') : 7071;
  }
  if (location !== undefined && backend !== 'azurite') {
    throw new CliUsageError('--location keeps Azurite state: it needs --backend azurite');
  }
  return { port, appDir, useFunc, verbose, backend, ...(location === undefined ? {} : { location }) };
}

function runFunc(func: string, options: CliOptions): void {
  process.stdout.write(`Azure Functions Core Tools found (${func}): running "func start --port ${options.port}"\n`);
  const child = spawn(func, ['start', '--port', String(options.port)], { cwd: options.appDir, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

async function runLocalHost(options: CliOptions): Promise<void> {
  const log = createConsoleLog({ verbose: options.verbose });
  const state: { host?: RunningHost } = {};
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`Second ${signal}: exiting without a clean shutdown\n`);
      process.exit(1);
    }
    stopping = true;
    log('info', `${signal} received: shutting down`);
    void (state.host?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (err: unknown) => {
        log('error', `Shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const host = await startHost({
    appDir: options.appDir,
    port: options.port,
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
    `durable-singletons local host (Core Tools ${options.useFunc ? 'not found' : 'skipped'}) listening on http://localhost:${host.port}`,
  );
}

export async function main(argv: string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, process.env, process.cwd());
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
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
