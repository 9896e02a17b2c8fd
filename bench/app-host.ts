/**
 * The app under the local host, in the host's own child process (`createLocalHost`, real clock), for the conflict
 * and start paths — the same way the project's end-to-end tests run it.
 */
import { createLocalHost } from '../local-host/api';

export interface AppHost {
  url: string;
  dispose(): Promise<void>;
}

/** `cpuProfileDir` profiles the host process (`--cpu-prof` through NODE_OPTIONS; written when it exits). */
export async function openAppHost(repoRoot: string, cpuProfileDir: string | undefined): Promise<AppHost> {
  const env: Record<string, string> = {};
  if (cpuProfileDir) {
    env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${cpuProfileDir} --cpu-prof-name=app-host.cpuprofile`;
  }
  const host = await createLocalHost({ appDir: repoRoot, port: 0, clock: 'real', env });
  return { url: host.url, dispose: () => host.dispose() };
}
