/**
 * An app under the local host, in the host's own child process (`createLocalHost`, real clock), for the SDK floor and
 * the conflict and start paths — the same way the project's end-to-end tests run it. On the azurite backend the host
 * starts Azurite and the .NET reference host as its own children, and stops them when it is disposed.
 */
import path from 'node:path';
import { createLocalHost } from 'durable-local-host';
import type { Backend } from 'durable-local-host';

export interface AppHost {
  url: string;
  /** PID of the host process, for CPU readings (its children's included). */
  pid: number | undefined;
  dispose(): Promise<void>;
}

export interface AppHostOptions {
  appDir: string;
  backend: Backend;
  /** Profile the host process through `cpu-profile-preload` (written when it exits) into this folder. */
  cpuProfileDir: string | undefined;
  /** Names the profile: `<label>-<pid>.cpuprofile`. */
  label: string;
}

export async function openAppHost(options: AppHostOptions): Promise<AppHost> {
  const env: Record<string, string> = {};
  if (options.cpuProfileDir) {
    env.NODE_OPTIONS = `--require ${path.join(__dirname, 'cpu-profile-preload.js')}`;
    env.BENCH_CPU_PROFILE_DIR = options.cpuProfileDir;
    env.BENCH_CPU_PROFILE_NAME = options.label;
  }
  const host = await createLocalHost({
    appDir: options.appDir,
    port: 0,
    clock: 'real',
    backend: options.backend,
    env,
  });
  return { url: host.url, pid: host.pid, dispose: () => host.dispose() };
}

/** Opens a host, runs `use` on it and disposes of it (with every process it started) whatever happens. */
export async function withAppHost<T>(options: AppHostOptions, use: (host: AppHost) => Promise<T>): Promise<T> {
  const host = await openAppHost(options);
  try {
    return await use(host);
  } finally {
    await host.dispose();
  }
}
