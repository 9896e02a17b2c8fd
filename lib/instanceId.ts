/**
 * Instance ID validation at the HTTP boundary. The rules are the strictest of the Durable backends, and they keep
 * every ID one URL path segment that names itself: the durable client puts the ID into URLs without encoding and
 * resolves them with `new URL`, which trims leading and trailing spaces (`zz ` would start `zz`), resolves `.` and
 * `..` segments (`.` would read the instance list, `..` another endpoint), and cuts at `/ \ ? #`. No `%` either: the
 * backend would percent-decode it and start a differently named instance (`x%41y` would become `xAy`).
 */
import { UserError } from './errors';

export const MAX_INSTANCE_ID_LENGTH = 100;
const FORBIDDEN_CHARACTERS = ['/', '\\', '#', '?', '%'];
const DOT_SEGMENTS = ['.', '..'];
const PROBE_BASE = 'http://127.0.0.1/instances/';

/** True when `new URL` keeps the ID as exactly one path segment that decodes back to itself. */
function survivesUrlResolution(id: string): boolean {
  try {
    const resolved = new URL(id, PROBE_BASE).pathname;
    return resolved.startsWith('/instances/') && decodeURIComponent(resolved.slice('/instances/'.length)) === id;
  } catch {
    return false;
  }
}

/** Returns the ID unchanged when valid, else throws a 400 `UserError` that says which rule it broke. */
export function parseInstanceId(raw: string | undefined): string {
  const id = raw ?? '';
  const fail = (reason: string): never => {
    throw new UserError('invalidInstanceId', `Invalid instanceId: ${reason}`, 400, { field: 'instanceId' });
  };
  if (id.length === 0) {
    fail('it must not be empty.');
  }
  if (id.length > MAX_INSTANCE_ID_LENGTH) {
    fail(`it must be at most ${MAX_INSTANCE_ID_LENGTH} characters long (received ${id.length}).`);
  }
  if (id.startsWith('@')) {
    fail("it must not start with '@'.");
  }
  for (let i = 0; i < id.length; i++) {
    const ch = id.charAt(i);
    if (FORBIDDEN_CHARACTERS.includes(ch)) {
      fail(`it must not contain '${ch}' (found at position ${i}).`);
    }
    const code = id.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      fail(`it must contain only printable ASCII characters (0x20-0x7E); found U+${hex} at position ${i}.`);
    }
  }
  if (DOT_SEGMENTS.includes(id.trim())) {
    fail(`it must not be '.' or '..' (with or without spaces around).`);
  }
  if (id.trim() !== id) {
    fail('it must not start or end with a space.');
  }
  if (!survivesUrlResolution(id)) {
    fail('it would not stay one URL path segment.');
  }
  return id;
}
