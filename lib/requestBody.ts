/**
 * Reads an HTTP request body as optional JSON: empty body = no input; a non-JSON content type → 415; more than
 * 64 KiB → 413; malformed JSON, nesting deeper than 32 levels or a number outside the double range → 400. The last two
 * parse but cannot be sent on faithfully: the durable client's `JSON.stringify` overflows the stack on deep nesting
 * (and Newtonsoft.Json, which the extension reads JSON with, stops at 64 levels by default), and an out-of-range
 * number would arrive as `null`.
 */
import type { HttpRequest } from '@azure/functions';
import { UserError } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;
/** Levels of arrays and objects a body may nest; the orchestrator state adds a few levels of its own around it. */
export const MAX_JSON_DEPTH = 32;

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
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new UserError('invalidJson', `Invalid JSON body: ${reason}`, 400);
  }
  checkSendable(value);
  return { present: true, value };
}

/** Walks the parsed value without recursion (the body may be 64 KiB of `[`): bounded depth, finite numbers only. */
function checkSendable(root: unknown): void {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new UserError(
        'invalidJson',
        'Invalid JSON body: a number is outside the range of a double (it would be sent as null).',
        400,
      );
    }
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (depth >= MAX_JSON_DEPTH) {
      throw new UserError(
        'invalidJson',
        `Invalid JSON body: it nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`,
        400,
        { maxDepth: MAX_JSON_DEPTH },
      );
    }
    for (const child of Object.values(value)) {
      pending.push({ value: child, depth: depth + 1 });
    }
  }
}
