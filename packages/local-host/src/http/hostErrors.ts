/**
 * The front door's own error answers: a JSON body `{ error, code }` with a code from a closed set, whether written
 * through a `ServerResponse` or, for requests the HTTP parser refused, directly onto the socket.
 */
import type { ServerResponse } from 'node:http';

export const HOST_ERROR_CODES = [
  'badRequest',
  'headersTooLarge',
  'routeNotFound',
  'methodNotAllowed',
  'payloadTooLarge',
  'hostBusy',
  'hostError',
] as const;
export type HostErrorCode = (typeof HOST_ERROR_CODES)[number];

export function hostErrorBody(code: HostErrorCode, error: string, details: Record<string, unknown> = {}): string {
  return JSON.stringify({ error, code, ...details });
}

export function sendHostError(
  res: ServerResponse,
  status: number,
  code: HostErrorCode,
  error: string,
  options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
): void {
  const text = hostErrorBody(code, error, options.details);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...options.headers,
  });
  res.end(text);
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** A complete HTTP/1.1 error response for a raw socket, closing the connection. */
export function rawHostError(status: 400 | 408 | 431, code: HostErrorCode, error: string): string {
  const text = hostErrorBody(code, error);
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(text)}\r\n` +
    'Connection: close\r\n\r\n' +
    text
  );
}
