/**
 * System error → exception properties. Pure; adds the error's machine-readable `code` (when it has one) so exceptions
 * can be grouped by cause without parsing messages.
 */

export function toSystemErrorProperties(error: Error, properties: Record<string, string> = {}): Record<string, string> {
  const code: unknown = (error as Error & { code?: unknown }).code;
  // A caller-supplied errorCode wins: it knows more about the failure than the error object does.
  if (typeof code === 'string' && code !== '' && properties.errorCode === undefined) {
    return { errorCode: code, ...properties };
  }
  return { ...properties };
}
