// One Google HTTP call: the shared provider fetch (timeout, JSON answer), failing with a
// GoogleApiError (Google's own classification of its answers).
import { fetchJson, type ProviderRequest } from "../http/provider.ts";
import { GoogleApiError } from "./errors.ts";

/** Fetches `url`; 2xx → its JSON (undefined when empty), anything else → GoogleApiError. */
export function googleFetch<T>(
  operation: string,
  url: string,
  request: ProviderRequest = {},
): Promise<T> {
  return fetchJson<T>(
    url,
    request,
    (status, body) => new GoogleApiError(operation, status, status ? body : body ?? "unreachable"),
  );
}
