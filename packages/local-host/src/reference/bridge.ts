/**
 * The loopback bridge the .NET reference host calls for every orchestrator episode, activity and entity batch: it
 * invokes the JS function through the local host's function runtime (the real `@azure/functions` programming model and
 * `durable-functions` code) and answers what the Functions host would hand back to the extension.
 */

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { durableClientBindingNames } from '../bindingSupport';
import type { FunctionRuntime, InvokeResult, LogFn, RpcParameterBinding, RpcTypedData } from '../contracts';
import { parseReturnedJson, returnValueJson } from '../durable/payloads';

export type BridgeKind = 'orchestration' | 'activity' | 'entity';

interface BridgeRequest {
  kind: BridgeKind;
  name: string;
  payload: string | null;
}

/** The bridge's answer: the result as JSON text (null: no output), or the host's RpcException text. */
export type BridgeReply = { ok: true; result: string | null } | { ok: false; rpcExceptionMessage: string };

export interface Bridge {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

function isBridgeRequest(value: unknown): value is BridgeRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v.kind === 'orchestration' || v.kind === 'activity' || v.kind === 'entity') &&
    typeof v.name === 'string' &&
    (typeof v.payload === 'string' || v.payload === null)
  );
}

/** Turns one invocation's outcome into the reply for the .NET side. */
export function bridgeReply(kind: BridgeKind, result: InvokeResult): BridgeReply {
  if (!result.ok) return { ok: false, rpcExceptionMessage: result.rpcExceptionMessage };
  if (kind === 'activity') {
    const value = result.returnValue;
    return { ok: true, result: value === null || value === undefined ? null : returnValueJson(value) };
  }
  const parsed = parseReturnedJson(result.returnValue);
  return { ok: true, result: parsed === undefined ? null : JSON.stringify(parsed) };
}

export async function startBridge(args: {
  functions: FunctionRuntime;
  clientBindingJson: () => string;
  log: LogFn;
}): Promise<Bridge> {
  const token = randomBytes(24).toString('hex');
  const invoke = async (req: BridgeRequest): Promise<BridgeReply> => {
    const fn = args.functions.get(req.name);
    if (!fn) {
      return {
        ok: false,
        rpcExceptionMessage: `Result: Failure\nException: The function '${req.name}' is not registered in the app\nStack: `,
      };
    }
    // The trigger binding converts to a string, as the Functions host does for script languages; the Node library
    // then JSON-parses it (`fromRpcTypedData`).
    const trigger: RpcTypedData = req.payload === null ? { json: 'null' } : { string: req.payload };
    const inputData: RpcParameterBinding[] = [
      { name: fn.trigger.name, data: trigger },
      ...durableClientBindingNames(fn).map((name) => ({ name, data: { string: args.clientBindingJson() } })),
    ];
    return bridgeReply(req.kind, await args.functions.invoke(req.name, inputData));
  };
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method !== 'POST' || req.url !== '/invoke' || req.headers.authorization !== `Bearer ${token}`) {
      reply(404, { error: 'not found' });
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      } catch {
        reply(400, { error: 'the body is not JSON' });
        return;
      }
      if (!isBridgeRequest(parsed)) {
        reply(400, { error: 'expected { kind, name, payload }' });
        return;
      }
      invoke(parsed).then(
        (value) => reply(200, value),
        (err: unknown) => {
          args.log('error', `The bridge failed to invoke ${parsed.name}: ${(err as Error).message}`);
          reply(500, { error: (err as Error).message });
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
