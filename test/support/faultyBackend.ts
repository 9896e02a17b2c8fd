/**
 * A loopback HTTP forward proxy between the app's durable client and the host's durable API. The host process is
 * started with `HTTP_PROXY` pointing here (axios, which the durable client uses, honours it; the tests' own `fetch`
 * does not), so every backend call of the app passes through it. It forwards requests unchanged until a test sets a
 * fault, which makes the matching backend calls fail the way an unavailable backend does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do with one backend call: drop the connection, answer with a status and JSON body, or forward it. */
export type FaultVerdict = 'reset' | { status: number; body: unknown } | undefined;
export type Fault = (method: string, pathname: string) => FaultVerdict;

export interface FaultyBackend {
  /** `http://127.0.0.1:<port>`, for `HTTP_PROXY`. */
  url: string;
  /** Environment for the host process so that the app's durable client goes through this proxy. */
  env: Record<string, string>;
  setFault(fault: Fault | undefined): void;
  /** `METHOD pathname` of every backend call seen, in order. */
  calls: string[];
  close(): Promise<void>;
}

export async function startFaultyBackend(): Promise<FaultyBackend> {
  let fault: Fault | undefined;
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const target = new URL(req.url ?? '/', 'http://invalid.local');
    calls.push(`${method} ${target.pathname}`);
    const verdict = fault?.(method, target.pathname);
    if (verdict === 'reset') {
      req.socket.destroy();
      return;
    }
    if (verdict !== undefined) {
      res.writeHead(verdict.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(verdict.body));
      return;
    }
    const upstream = http.request(target, { method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: { HTTP_PROXY: url, http_proxy: url, NO_PROXY: '', no_proxy: '' },
    setFault(next) {
      fault = next;
    },
    calls,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
