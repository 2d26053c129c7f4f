import assert from "node:assert/strict";
import OpenAI from "openai";
import { BadOutput } from "../assistant/tool_loop.ts";
import { classifyOpenAiError, OpenAiFailure, openAiSettings } from "./client.ts";

const apiError = (status: number, error: Record<string, unknown> | undefined) =>
  OpenAI.APIError.generate(status, error ? { error } : undefined, undefined, new Headers());

Deno.test("classifyOpenAiError: by the API's code, then its status; reasons never echo the body", () => {
  const table: [unknown, string][] = [
    [
      apiError(429, {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        code: "insufficient_quota",
      }),
      "quota",
    ],
    [
      apiError(429, { message: "Rate limit reached", type: "tokens", code: "rate_limit_exceeded" }),
      "rate_limited",
    ],
    [apiError(429, undefined), "rate_limited"],
    [
      apiError(401, { message: "Incorrect API key provided: sk-abc", code: "invalid_api_key" }),
      "auth",
    ],
    [apiError(403, { message: "no" }), "auth"],
    [apiError(400, { message: "bad tools", code: "invalid_request_error" }), "rejected"],
    [apiError(408, undefined), "timeout"],
    [apiError(500, { message: "server_error" }), "unavailable"],
    [apiError(503, undefined), "unavailable"],
    [new OpenAI.APIConnectionTimeoutError(), "timeout"],
    [new OpenAI.APIUserAbortError(), "timeout"],
    [new OpenAI.APIConnectionError({ message: "refused" }), "unavailable"],
    [new BadOutput("no text"), "bad_output"],
    [new OpenAiFailure("bad_output", "no message"), "bad_output"],
    [new DOMException("aborted", "AbortError"), "timeout"],
    ["weird", "bad_output"],
  ];
  for (const [error, kind] of table) {
    const classified = classifyOpenAiError(error);
    assert.equal(classified.kind, kind, String(error));
    assert.match(classified.reason, /^The assistant could not answer: .+\.$/);
    assert.doesNotMatch(classified.reason, /sk-|exceeded your current quota|refused$/);
  }
  assert.match(classifyOpenAiError(table[0][0]).reason, /insufficient_quota/);
});

Deno.test("openAiSettings: off without a key; OpenAI's URL and gpt-4.1-mini by default", () => {
  const env = (values: Record<string, string>) => ({ get: (name: string) => values[name] });
  assert.equal(openAiSettings(env({})), null);
  assert.equal(openAiSettings(env({ OPENAI_API_KEY: "  " })), null);
  assert.deepEqual(openAiSettings(env({ OPENAI_API_KEY: "k" })), {
    apiKey: "k",
    baseURL: "https://api.openai.com/v1",
    model: "gpt-4.1-mini",
  });
  assert.deepEqual(
    openAiSettings(env({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "http://x/v1", OPENAI_MODEL: "m" })),
    { apiKey: "k", baseURL: "http://x/v1", model: "m" },
  );
});
