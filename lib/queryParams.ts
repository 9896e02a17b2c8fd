/** Query-string converters; each failure is a 400 naming the parameter. */
import { UserError } from './errors';
import type { OnConflict } from './startDecision';

function invalidQuery(parameter: string, expected: string, received: string, why = ''): UserError {
  return new UserError(
    'invalidQuery',
    `Invalid query parameter '${parameter}': expected ${expected} (received ${JSON.stringify(received)}).${why}`,
    400,
    { field: parameter, expected, received },
  );
}

/** `onConflict`: absent or `fail` → 'fail' (409 on an active instance); `useExisting` → answer with that instance. */
export function parseOnConflict(raw: string | null): OnConflict {
  if (raw === null || raw === 'fail') {
    return 'fail';
  }
  if (raw === 'useExisting') {
    return 'useExisting';
  }
  throw invalidQuery('onConflict', "'fail' or 'useExisting'", raw);
}

/** Azure's HTTP front end gives up on a request after 230 seconds, whatever the function timeout says. */
export const AZURE_HTTP_LIMIT_SECONDS = 230;

/**
 * The longest graceful wait a DELETE may ask for. The terminate fallback runs after it (`TERMINATE_GRACE_MS` in
 * HttpStopSingle), and the whole answer must still leave room for the backend's round trips under the 230 s limit.
 */
export const MAX_STOP_TIMEOUT_SECONDS = 200;

/** `timeoutSeconds`: absent → undefined (do not wait); else an integer 0..200. */
export function parseTimeoutSeconds(raw: string | null): number | undefined {
  if (raw === null) {
    return undefined;
  }
  const value = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value > MAX_STOP_TIMEOUT_SECONDS) {
    throw invalidQuery(
      'timeoutSeconds',
      `an integer from 0 to ${MAX_STOP_TIMEOUT_SECONDS}`,
      raw,
      ` The wait and the terminate fallback after it must answer within Azure's ${AZURE_HTTP_LIMIT_SECONDS}-second HTTP limit.`,
    );
  }
  return value;
}
