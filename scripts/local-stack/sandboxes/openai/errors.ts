// OpenAI's error bodies (PROVIDERS §6): `{error: {message, type, param, code}}`, with a
// request id header like the API's.
export const requestId = () =>
  "req_" +
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

export function openaiError(
  status: number,
  error: { message: string; type: string; param?: string | null; code?: string | null },
): Response {
  return new Response(
    JSON.stringify({ error: { param: null, code: null, ...error } }, null, 2),
    {
      status,
      headers: { "content-type": "application/json", "x-request-id": requestId() },
    },
  );
}

/** The errors a fault or a script may ask for, worded as OpenAI words them. */
export const NAMED_ERRORS = {
  insufficient_quota: () =>
    openaiError(429, {
      message: "You exceeded your current quota, please check your plan and billing details. " +
        "For more information on this error, read the docs: " +
        "https://platform.openai.com/docs/guides/error-codes/api-errors.",
      type: "insufficient_quota",
      code: "insufficient_quota",
    }),
  rate_limit_exceeded: () =>
    openaiError(429, {
      message: "Rate limit reached for gpt-4.1-mini in organization org-sandbox on tokens per " +
        "min (TPM): Limit 30000, Used 29876, Requested 1200. Please try again in 2.152s. Visit " +
        "https://platform.openai.com/account/rate-limits to learn more.",
      type: "tokens",
      code: "rate_limit_exceeded",
    }),
  server_error: () =>
    openaiError(500, {
      message: "The server had an error while processing your request. Sorry about that!",
      type: "server_error",
    }),
  overloaded: () =>
    openaiError(503, {
      message: "The engine is currently overloaded, please try again later.",
      type: "server_error",
      code: "overloaded",
    }),
};

/** A 400 naming the parameter. */
export const invalidRequest = (
  message: string,
  param: string | null = null,
  code: string | null = null,
) => openaiError(400, { message, type: "invalid_request_error", param, code });

/** 401 for a missing or wrong key (the key is shown only by its last four characters). */
export function badKey(key: string | null): Response {
  return key === null
    ? openaiError(401, {
      message: "You didn't provide an API key. You need to provide your API key in an " +
        "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as " +
        "the password field (with blank username) if you're accessing the API from your " +
        "browser and are prompted for a username and password. You can obtain an API key " +
        "from https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
    })
    : openaiError(401, {
      message: `Incorrect API key provided: ${key.slice(0, 3)}*********${key.slice(-4)}. You ` +
        "can find your API key at https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
      code: "invalid_api_key",
    });
}
