/**
 * Instance ID validation at the HTTP boundary: an allowlist of what survives every URL the durable client and the
 * extension build from an ID — ASCII letters, digits and `- _ . ~ : @`, 1–100 characters, not starting with `@`
 * (the extension's entity IDs do) and not `.` or `..`. Everything else breaks one of those URLs:
 *
 * - `$` — the client puts the ID into its URL templates with `String.replace`, which reads `$&`, `$'`, `` $` `` and
 *   `$$` in the replacement as patterns (`a$&b` would address `aINSTANCEIDb`);
 * - a space — `new URL` trims outer spaces (`zz ` would start `zz`), and an inner one makes check-status URLs that
 *   curl and other clients cannot fetch as given;
 * - `+` — the extension decodes it as a space before it matches its routes (`a+b` and `a b` would be one instance);
 * - `.` and `..` — resolved as path segments (`.` would read the instance list, `..` another endpoint);
 * - `%` — percent-decoded by the backend, so the start would name another instance (`x%41y` would become `xAy`);
 * - `/ \ ? #` and the rest — cut or split the path, or need encoding the client never applies.
 */
import { UserError } from './errors';

export const MAX_INSTANCE_ID_LENGTH = 100;
const ALLOWED_PUNCTUATION = '-_.~:@';
const ALLOWED_CHARACTER = /^[A-Za-z0-9\-_.~:@]$/;
const DOT_SEGMENTS = ['.', '..'];

/** A refused character as the message names it: quoted when printable ASCII, else its code point (`U+00E9`). */
function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x20 && code <= 0x7e ? `'${ch}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Index and text of the first character outside the allowlist, or `undefined` when every character is allowed. */
function firstRefusedCharacter(id: string): { position: number; ch: string } | undefined {
  let position = 0;
  for (const ch of id) {
    if (!ALLOWED_CHARACTER.test(ch)) return { position, ch };
    position += ch.length;
  }
  return undefined;
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
  const refused = firstRefusedCharacter(id);
  if (refused !== undefined) {
    const allowed = ALLOWED_PUNCTUATION.split('').join(' ');
    fail(
      `it must contain only letters, digits and ${allowed}; found ${describeCharacter(refused.ch)} at position ${refused.position}.`,
    );
  }
  if (id.startsWith('@')) {
    fail("it must not start with '@'.");
  }
  if (DOT_SEGMENTS.includes(id)) {
    fail("it must not be '.' or '..'.");
  }
  return id;
}
