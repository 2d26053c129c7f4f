// One call to a voice provider's REST API (Vapi, Twilio): a timeout on every request, the JSON
// answer or a ProviderApiError sorted by what the caller does next. Error texts carry the
// provider's status, code and message, never a request's headers or body (where keys and
// tokens travel).

export const DEFAULT_TIMEOUT_MS = 10_000;

/** retry: later (timeout, 408, 429, 5xx); auth: the key or token was refused; not_found; permanent. */
export type ProviderErrorKind = "retry" | "auth" | "not_found" | "permanent";

export function classifyProviderStatus(status: number): ProviderErrorKind {
  if (status === 0 || status === 408 || status === 429 || status >= 500) return "retry";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  return "permanent";
}

/** What a provider's error body says, in one short line; undefined when it says nothing usable. */
export type ErrorDetail = (body: unknown) => { code?: number | string; message?: string };

export class ProviderApiError extends Error {
  readonly kind: ProviderErrorKind;
  readonly code: number | string | undefined;
  /** The provider's own words (or "no answer …"), for the sentence a clinic reads. */
  readonly detail: string;

  constructor(
    readonly provider: string,
    readonly operation: string,
    readonly status: number,
    detail: { code?: number | string; message?: string },
  ) {
    const words = (detail.message ?? (status ? `HTTP ${status}` : "no answer")).slice(0, 200);
    const code = detail.code === undefined ? "" : ` (${detail.code})`;
    super(`${provider} ${operation}: ${status ? status + " " : ""}${words}${code}`);
    this.name = "ProviderApiError";
    this.kind = classifyProviderStatus(status);
    this.code = detail.code;
    this.detail = words + code;
  }
}

export interface ProviderRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  timeoutMs?: number;
}

/**
 * Fetches `url`: 2xx → its JSON (undefined when empty); anything else throws `fail(status, body)`
 * with the parsed body, or status 0 when there was no answer (body: "no answer within … ms" on a
 * timeout, undefined when unreachable). Google's client and providerFetch share it.
 */
export async function fetchJson<T>(
  url: string,
  { method = "GET", headers = {}, body, timeoutMs = DEFAULT_TIMEOUT_MS }: ProviderRequest,
  fail: (status: number, body: unknown) => Error,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: "application/json", ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw fail(0, timedOut ? `no answer within ${timeoutMs} ms` : undefined);
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) throw fail(response.status, parsed);
  return parsed as T;
}

/** Fetches `url`; 2xx → its JSON (undefined when empty), anything else → ProviderApiError. */
export function providerFetch<T>(
  provider: string,
  operation: string,
  url: string,
  errorDetail: ErrorDetail,
  request: ProviderRequest = {},
): Promise<T> {
  return fetchJson<T>(url, request, (status, body) =>
    new ProviderApiError(
      provider,
      operation,
      status,
      status ? errorDetail(body) : { message: (body as string) ?? `${provider} is unreachable` },
    ));
}
