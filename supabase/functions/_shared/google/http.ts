// One Google HTTP call: a timeout on every request, the JSON answer or a GoogleApiError.
import { GoogleApiError } from "./errors.ts";

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface GoogleRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  timeoutMs?: number;
}

/** Fetches `url`; 2xx → its JSON (undefined when empty), anything else → GoogleApiError. */
export async function googleFetch<T>(
  operation: string,
  url: string,
  { method = "GET", headers = {}, body, timeoutMs = DEFAULT_TIMEOUT_MS }: GoogleRequest = {},
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
    throw new GoogleApiError(
      operation,
      0,
      timedOut ? `no answer within ${timeoutMs} ms` : "unreachable",
    );
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw new GoogleApiError(operation, response.status, parsed);
  return parsed as T;
}
