// Twilio's REST error shape (twilio.com/docs/usage/twilios-response#response-formats-exceptions).
export const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });

export const twilioError = (status: number, code: number, message: string) =>
  json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

export const errors = {
  authenticate: () => twilioError(401, 20003, "Authenticate"),
  notFound: (path: string) =>
    twilioError(404, 20404, `The requested resource ${path} was not found`),
  invalidUrl: (name: string, value: string) =>
    twilioError(400, 21502, `${name} is not valid: ${value.slice(0, 200)}`),
  invalidMethod: (name: string) => twilioError(400, 21503, `${name} must be GET or POST`),
  /** What an injected failure answers. */
  injected: (status: number) =>
    status === 401
      ? twilioError(401, 20003, "Authenticate")
      : status === 404
      ? twilioError(404, 20404, "The requested resource was not found")
      : status === 429
      ? twilioError(429, 20429, "Too Many Requests")
      : twilioError(status, 20500, "Internal Server Error"),
};

/** RFC 2822, as Twilio writes dates in API responses. */
export const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace("GMT", "+0000");
