/** The ceiling: the bare node:http server in its own process, loaded at each concurrency level. */
import path from 'node:path';
import { forkServer } from './child';
import { runLoad } from './load';
import type { BenchOptions } from './options';
import type { BaselineSection } from './report';

export async function measureBaseline(options: BenchOptions): Promise<BaselineSection> {
  const server = await forkServer(path.join(__dirname, 'baseline-server.js'));
  try {
    const url = `http://127.0.0.1:${server.port}/api/orchestrators/Counter/bench-c1`;
    await runLoad({ url, connections: Math.max(...options.connections), ...options.warmup });
    const points = [];
    for (const connections of options.connections) {
      points.push(await runLoad({ url, connections, ...options.point, serverPid: server.pid }));
    }
    return { server: 'node:http, 409 with a small JSON body, child process', points };
  } finally {
    await server.stop();
  }
}
