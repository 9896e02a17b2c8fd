/**
 * Reads an HTTP request body as optional JSON: empty body = no input; a non-JSON content type → 415; more than
 * 64 KiB → 413; malformed JSON → 400.
 */
import type { HttpRequest } from '@azure/functions';
import { UserError } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;

export type ParsedBody = { present: false } | { present: true; value: unknown };

/** `application/json`, or any `+json` media type (e.g. `application/merge-patch+json`). */
export function isJsonMediaType(contentType: string): boolean {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return mediaType === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

function tooLarge(received: number): UserError {
  return new UserError(
    'payloadTooLarge',
    `Request body too large: at most ${MAX_BODY_BYTES} bytes are accepted (received ${received}).`,
    413,
    { maxBytes: MAX_BODY_BYTES },
  );
}

export async function readJsonBody(request: HttpRequest): Promise<ParsedBody> {
  const declaredLength = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declaredLength) && declaredLength > MAX_BODY_BYTES) {
    throw tooLarge(declaredLength);
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength === 0) {
    return { present: false };
  }
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !isJsonMediaType(contentType)) {
    throw new UserError(
      'unsupportedMediaType',
      `Unsupported content type '${contentType}': the body must be JSON (application/json).`,
      415,
    );
  }
  if (bytes.byteLength > MAX_BODY_BYTES) {
    throw tooLarge(bytes.byteLength);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError('invalidJson', 'Invalid JSON body: it is not valid UTF-8.', 400);
  }
  try {
    return { present: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UserError('invalidJson', `Invalid JSON body: ${reason}`, 400);
  }
}
