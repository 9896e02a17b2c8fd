/**
 * Turns the worker's HTTP output (`returnValue.http` as produced by `@azure/functions`' `toRpcHttp`) into the
 * status, headers and body the front door writes to the socket.
 */

import type { RpcTypedData } from '../contracts';

export interface OutgoingHttp {
  status: number;
  /** Header values; `set-cookie` may hold several. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

interface NullableValue<T> {
  value?: T | null;
}

interface RpcCookie {
  name?: string;
  value?: string;
  domain?: NullableValue<string> | null;
  path?: NullableValue<string> | null;
  expires?: NullableValue<{ seconds?: number | string; nanos?: number }> | null;
  secure?: NullableValue<boolean> | null;
  httpOnly?: NullableValue<boolean> | null;
  sameSite?: string | null;
  maxAge?: NullableValue<number> | null;
}

interface RpcHttpResponseData {
  statusCode?: string | number | null;
  headers?: Record<string, string> | null;
  cookies?: RpcCookie[] | null;
  body?: RpcTypedData | null;
}

/** `Set-Cookie` header text of one RPC cookie. */
export function toSetCookie(cookie: RpcCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined) parts.push(`Expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined && cookie.maxAge.value !== null) parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  switch (cookie.sameSite) {
    case 'lax':
      parts.push('SameSite=Lax');
      break;
    case 'strict':
      parts.push('SameSite=Strict');
      break;
    case 'explicitNone':
      parts.push('SameSite=None');
      break;
    default:
      break;
  }
  return parts.join('; ');
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) {
    return Buffer.alloc(0);
  }
  if (body.bytes) {
    return Buffer.from(body.bytes.buffer, body.bytes.byteOffset, body.bytes.byteLength);
  }
  if (typeof body.string === 'string') {
    return Buffer.from(body.string, 'utf8');
  }
  if (typeof body.json === 'string') {
    return Buffer.from(body.json, 'utf8');
  }
  if (typeof body.int === 'number' || typeof body.double === 'number') {
    return Buffer.from(String(body.int ?? body.double), 'utf8');
  }
  return Buffer.alloc(0);
}

/**
 * A function that returns nothing answers 204 (UNVERIFIED choice for the local host: an empty `$return`).
 */
export function fromRpcHttpResponse(returnValue: RpcTypedData | null | undefined): OutgoingHttp {
  const http = returnValue?.http as RpcHttpResponseData | undefined;
  if (!http) {
    return { status: 204, headers: {}, body: Buffer.alloc(0) };
  }
  const status = http.statusCode === undefined || http.statusCode === null ? 200 : Number(http.statusCode);
  const headers: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(http.headers ?? {})) {
    headers[key.toLowerCase()] = value;
  }
  const cookies = (http.cookies ?? []).map(toSetCookie);
  if (cookies.length > 0) {
    const existing = headers['set-cookie'];
    headers['set-cookie'] = [...(existing === undefined ? [] : [existing].flat()), ...cookies];
  }
  return {
    status: Number.isInteger(status) && status >= 100 && status <= 999 ? status : 500,
    headers,
    body: bodyBytes(http.body),
  };
}
