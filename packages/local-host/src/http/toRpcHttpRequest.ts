/**
 * Builds the RPC HTTP trigger payload the Functions host sends to the worker (`RpcHttpData`), in the form the real
 * host uses with the Node worker's capabilities: body as bytes, `nullable*` maps next to the plain ones.
 */

import type { RpcTypedData } from '../contracts';

export interface IncomingHttp {
  method: string;
  /** Absolute URL of the request. */
  url: URL;
  /** Raw header list as received, `[name, value, name, value, ...]`. */
  rawHeaders: string[];
  body: Buffer;
  params: Record<string, string>;
}

export interface RpcHttpRequestData {
  method: string;
  url: string;
  headers: Record<string, string>;
  nullableHeaders: Record<string, { value: string }>;
  body: { bytes: Uint8Array };
  params: Record<string, string>;
  nullableParams: Record<string, { value: string }>;
  query: Record<string, string>;
  nullableQuery: Record<string, { value: string }>;
}

function toNullable(map: Record<string, string>): Record<string, { value: string }> {
  const result: Record<string, { value: string }> = {};
  for (const [key, value] of Object.entries(map)) {
    result[key] = { value };
  }
  return result;
}

/** Header names lower-cased; repeated headers joined with `, ` (cookies with `; `). */
export function collectHeaders(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}

/** Query values by name; a repeated name keeps all values joined with `,` (the host's dictionary form). */
export function collectQuery(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    const previous = query[key];
    query[key] = previous === undefined ? value : `${previous},${value}`;
  }
  return query;
}

export function toRpcHttpRequest(request: IncomingHttp): { http: RpcHttpRequestData } & RpcTypedData {
  const headers = collectHeaders(request.rawHeaders);
  const query = collectQuery(request.url);
  return {
    http: {
      method: request.method.toUpperCase(),
      url: request.url.toString(),
      headers,
      nullableHeaders: toNullable(headers),
      body: { bytes: new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength) },
      params: request.params,
      nullableParams: toNullable(request.params),
      query,
      nullableQuery: toNullable(query),
    },
  };
}
