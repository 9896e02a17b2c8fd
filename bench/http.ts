/** Plain HTTP calls the drivers make outside of autocannon (starts, status polls), with their status and parsed body. */

export interface JsonResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export async function requestJson(method: string, url: string, body?: unknown): Promise<JsonResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    // fetch reports every network failure as "fetch failed"; the reason is in `cause`.
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new NetworkError(`${method} ${url} failed${cause}`, { cause: err });
  }
  const text = await response.text();
  let parsed: unknown = text;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // Not JSON: keep the text so error messages can show it.
    }
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** The request never got an HTTP answer (connection refused or reset). */
export class NetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

export function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

export function describe(response: JsonResponse): string {
  return `HTTP ${response.status} ${typeof response.body === 'string' ? response.body : JSON.stringify(response.body)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
