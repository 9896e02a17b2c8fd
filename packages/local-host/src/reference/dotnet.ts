/**
 * The .NET reference host (`reference-host/` of this package): found, built when its output is missing or older than its
 * sources, and started with the settings the extension reads.
 */

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LogFn } from '../contracts';
import { findOnPath } from '../path';
import { ReferenceBackendError, onLines, stopProcess } from './process';

/** The .NET SDK the reference host was verified with. */
export const DOTNET_REQUIREMENT = 'the .NET 10 SDK (dotnet on PATH)';

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && /\.(cs|csproj)$/.test(entry.name)) {
      newest = Math.max(newest, fs.statSync(path.join(dir, entry.name)).mtimeMs);
    }
  }
  return newest;
}

export function findDotnet(env: NodeJS.ProcessEnv = process.env): string {
  const dotnet = findOnPath('dotnet', env);
  if (dotnet === undefined) {
    throw new ReferenceBackendError(
      'DOTNET_MISSING',
      `The azurite backend needs ${DOTNET_REQUIREMENT}; none was found. Install it, or use --backend memory.`,
    );
  }
  return dotnet;
}

/** Builds the reference host unless its output is newer than every source file; returns the assembly path. */
export function ensureReferenceHostBuilt(projectDir: string, dotnet: string, log: LogFn): string {
  const dll = path.join(projectDir, 'bin', 'Release', 'net10.0', 'ReferenceHost.dll');
  const fresh = (): boolean => fs.existsSync(dll) && fs.statSync(dll).mtimeMs >= newestSourceMtime(projectDir);
  if (fresh()) return dll;
  // Several hosts may start at once (parallel test workers): one builds, the others wait for it.
  const lock = path.join(projectDir, 'obj', '.build-lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const stat = fs.statSync(lock, { throwIfNoEntry: false });
      if (stat && Date.now() - stat.mtimeMs > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new ReferenceBackendError('REFERENCE_BUILD_FAILED', `Timed out waiting for the lock ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (fresh()) return dll;
    log('info', 'Building the .NET reference host (first run: restores the Durable extension from NuGet)...');
    const built = spawnSync(dotnet, ['build', '-c', 'Release', '--nologo', '-v', 'q', '-clp:ErrorsOnly'], {
      cwd: projectDir,
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
    });
    if (built.status !== 0) {
      throw new ReferenceBackendError(
        'REFERENCE_BUILD_FAILED',
        `Building the .NET reference host failed (dotnet build exited ${built.status ?? 'null'}):\n${built.stdout}${built.stderr}`,
      );
    }
    return dll;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface ReferenceHostReady {
  /** Base URL of its webhook server, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The `[DurableClient] string` payload, as the extension builds it. */
  clientBinding: Record<string, unknown>;
  pid: number;
}

export interface RunningReferenceHost extends ReferenceHostReady {
  stop(): Promise<void>;
  /** Resolves when the process exits on its own (it crashed or was killed). */
  readonly exited: Promise<number | null>;
}

const READY = 'REFERENCE_HOST_READY ';

export async function startReferenceHost(args: {
  dotnet: string;
  dll: string;
  env: Record<string, string>;
  log: LogFn;
  startTimeoutMs?: number;
}): Promise<RunningReferenceHost> {
  const child = spawn(args.dotnet, [args.dll], {
    cwd: path.dirname(args.dll),
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...args.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const forward = (level: 'debug' | 'warn', line: string): void => {
    if (!line) return;
    tail.push(line);
    if (tail.length > 40) tail.shift();
    // The console logger's level marker (`HH:mm:ss.fff fail: Category[id] …`): failures and crashes are warnings here.
    args.log(/^(\S+ )?(fail|crit):|^Unhandled exception/.test(line) ? 'warn' : level, `[reference-host] ${line}`);
  };
  onLines(child.stderr, (line) => forward('debug', line.trimEnd()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timeoutMs = args.startTimeoutMs ?? 120_000;
  const ready = await new Promise<ReferenceHostReady>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new ReferenceBackendError(
          'REFERENCE_START_FAILED',
          `The .NET reference host did not start within ${timeoutMs} ms. Last output:\n${tail.join('\n')}`,
        ),
      );
    }, timeoutMs);
    onLines(child.stdout, (text) => {
      const line = text.trim();
      if (line.startsWith(READY)) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)) as ReferenceHostReady);
      } else {
        forward('debug', line);
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(
        new ReferenceBackendError(
          'REFERENCE_START_FAILED',
          `The .NET reference host could not be started: ${e.message}`,
        ),
      );
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new ReferenceBackendError(
          'REFERENCE_START_FAILED',
          `The .NET reference host exited with code ${code ?? 'null'} while starting. Last output:\n${tail.join('\n')}`,
        ),
      );
    });
  }).catch(async (e: unknown) => {
    await stopProcess(child);
    throw e;
  });
  return { ...ready, exited, stop: () => stopProcess(child) };
}
