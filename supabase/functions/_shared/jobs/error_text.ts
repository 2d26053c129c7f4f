// The text of a failed job's error as private.jobs.last_error keeps it.
const maxErrorLength = 1000;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What an error says, fit for private.jobs.last_error, which operators read and print. Handlers
 * throw messages without tokens, but an error from a library or a provider's response may quote
 * a request (an Authorization header, a token in a URL or a JSON body): anything shaped like a
 * credential is cut out, so a slip in one handler cannot put a secret in the table.
 */
export function jobErrorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, "$1 [redacted]")
    // In JSON, headers or text: "refresh_token": "…", apikey: …, password=…
    .replace(
      /\b((?:access|refresh|id)_token|client_secret|apikey|api_key|password|secret|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
      "$1$2[redacted]",
    )
    // In a URL's query: an OAuth code or a key (a status "code": 403 stays).
    .replace(/([?&](?:code|key)=)[^&\s"']+/gi, "$1[redacted]")
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[redacted]") // a JWT
    .replace(/\b(?:ya29\.|1\/\/|sb_secret_|sk_|re_)[\w./-]+/g, "[redacted]")
    // A long random-looking string, but not an id operators need (a uuid).
    .replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, (run) => uuid.test(run) ? run : "[redacted]")
    .slice(0, maxErrorLength);
}
