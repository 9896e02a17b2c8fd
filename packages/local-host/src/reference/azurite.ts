/**
 * Azurite for the reference backend: started on loopback with free ports (in memory, or in a folder that keeps the
 * state across restarts), or an already running storage named by a connection string.
 */

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LogFn } from '../contracts';
import { compiledPath } from '../layout';
import { ReferenceBackendError, onLines, stopProcess } from './process';

/** Azurite's well-known development account (public, documented by Microsoft). */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Storage {
  /** `AzureWebJobsStorage` for the .NET host. */
  readonly connectionString: string;
  /** Where the state lives, for the start-up banner. */
  readonly describe: string;
  stop(): Promise<void>;
}

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }): string {
  const at = (port: number): string => `http://127.0.0.1:${port}/${DEV_ACCOUNT}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_KEY}`,
    `BlobEndpoint=${at(ports.blob)}`,
    `QueueEndpoint=${at(ports.queue)}`,
    `TableEndpoint=${at(ports.table)}`,
  ].join(';');
}

export interface AzuriteOptions {
  /** Folder for Azurite's data; absent ⇒ in memory. */
  location?: string;
  log: LogFn;
  startTimeoutMs?: number;
}

const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/;

/** Starts Azurite on 127.0.0.1 with free ports; resolves once its three services listen. */
export async function startAzurite(options: AzuriteOptions): Promise<Storage> {
  let entry: string;
  try {
    require.resolve('azurite/dist/src/azurite.js');
    entry = compiledPath(path.join('reference', 'azurite-entry.js'));
  } catch {
    throw new ReferenceBackendError(
      'AZURITE_MISSING',
      'The azurite backend needs the "azurite" npm package (a devDependency of this project): run npm ci.',
    );
  }
  const args = [
    entry,
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--silent',
    '--loose',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    '0',
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    '0',
  ];
  if (options.location === undefined) {
    args.push('--inMemoryPersistence');
  } else {
    fs.mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  }
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const ports: Partial<Record<'blob' | 'queue' | 'table', number>> = {};
  const output: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new ReferenceBackendError(
              'AZURITE_START_FAILED',
              `Azurite did not start within ${options.startTimeoutMs ?? 30_000} ms`,
            ),
          ),
        options.startTimeoutMs ?? 30_000,
      );
      const onLine = (text: string): void => {
        const line = text.trim();
        if (output.length < 50) output.push(line);
        const match = LISTENING.exec(line);
        if (match) {
          ports[(match[1] ?? '').toLowerCase() as 'blob' | 'queue' | 'table'] = Number(match[2]);
          if (ports.blob && ports.queue && ports.table) {
            clearTimeout(timer);
            resolve();
          }
        }
      };
      onLines(child.stdout, onLine);
      onLines(child.stderr, onLine);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new ReferenceBackendError('AZURITE_START_FAILED', `Azurite could not be started: ${err.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new ReferenceBackendError(
            'AZURITE_START_FAILED',
            `Azurite exited with code ${code ?? 'null'}: ${output.join(' | ')}`,
          ),
        );
      });
    });
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  child.removeAllListeners('exit');
  const all = ports as Record<'blob' | 'queue' | 'table', number>;
  options.log('debug', `Azurite listening: blob ${all.blob}, queue ${all.queue}, table ${all.table}`);
  return {
    connectionString: azuriteConnectionString(all),
    describe:
      options.location === undefined
        ? `Azurite in memory (lost when the host stops), blob port ${all.blob}`
        : `Azurite in ${options.location}, blob port ${all.blob}`,
    stop: () => stopProcess(child),
  };
}

/** Storage the local host did not start (it is left running on stop). */
export function externalStorage(connectionString: string): Storage {
  const blob = /BlobEndpoint=([^;]+)/.exec(connectionString)?.[1] ?? 'the given connection string';
  return { connectionString, describe: `external storage at ${blob}`, stop: () => Promise.resolve() };
}

export type { ChildProcess };
