/** The parent's handle on a host-worker child: its URL, memory readings and idle waits over IPC. */
import path from 'node:path';
import type { Backend } from 'durable-local-host';
import { forkServer } from './child';
import type { BenchOptions } from './options';
import type { MemoryFigures } from './report';

export interface HostWorker {
  url: string;
  pid: number;
  memory(): Promise<MemoryFigures>;
  /** Resolves once the host has no episode or activity running or queued. */
  whenIdle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHostWorker(
  appDir: string,
  options: BenchOptions,
  label: string,
  backend: Backend = 'memory',
): Promise<HostWorker> {
  const execArgv = ['--expose-gc'];
  if (options.cpuProfileDir) {
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${label}-host.cpuprofile`);
  }
  const child = await forkServer(path.join(__dirname, 'host-worker.js'), {
    args: [appDir, backend],
    execArgv,
    quiet: true,
    // The azurite backend may build the reference host first, and starts Azurite and the extension.
    readyTimeoutMs: backend === 'azurite' ? 180_000 : 30_000,
  });
  return {
    url: `http://127.0.0.1:${child.port}`,
    pid: child.pid,
    memory: async () => (await child.call<{ memory: MemoryFigures }>({ type: 'memory' })).memory,
    whenIdle: async () => {
      await child.call({ type: 'idle' });
    },
    stop: () => child.stop(),
  };
}
