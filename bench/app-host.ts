/**
 * The app under the local host, in the host's own child process (`createLocalHost`, real clock), for the conflict
 * and start paths — the same way the project's end-to-end tests run it.
 */
import path from 'node:path';
import { createLocalHost } from 'durable-local-host';
import { childPids } from './proc';

export interface AppHost {
  url: string;
  /** PID of the host process when it could be found (Linux), for CPU readings. */
  pid: number | undefined;
  dispose(): Promise<void>;
}

/** `cpuProfileDir` profiles the host process through `cpu-profile-preload` (written when it exits). */
export async function openAppHost(repoRoot: string, cpuProfileDir: string | undefined): Promise<AppHost> {
  const env: Record<string, string> = {};
  if (cpuProfileDir) {
    env.NODE_OPTIONS = `--require ${path.join(__dirname, 'cpu-profile-preload.js')}`;
    env.BENCH_CPU_PROFILE_DIR = cpuProfileDir;
    env.BENCH_CPU_PROFILE_NAME = 'app-host';
  }
  const before = new Set(childPids());
  const host = await createLocalHost({ appDir: repoRoot, port: 0, clock: 'real', env });
  const forked = childPids().filter((pid) => !before.has(pid));
  return { url: host.url, pid: forked.length === 1 ? forked[0] : undefined, dispose: () => host.dispose() };
}
