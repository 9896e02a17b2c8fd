/** The ceiling: the bare node:http server in its own process, loaded at each concurrency level. */
import path from 'node:path';
import { forkServer } from './child';
import { runPoints } from './load';
import type { BenchOptions } from './options';
import type { BaselineSection } from './report';

export async function measureBaseline(options: BenchOptions): Promise<BaselineSection> {
  const server = await forkServer(path.join(__dirname, 'baseline-server.js'));
  try {
    const url = `http://127.0.0.1:${server.port}/api/orchestrators/Counter/bench-c1`;
    const points = await runPoints({ url, serverPid: server.pid }, options.connections, options, (p) => p);
    return { server: 'node:http, 409 with a small JSON body, child process', points };
  } finally {
    await server.stop();
  }
}
