import assert from "node:assert/strict";
import { jobErrorText } from "./error_text.ts";

const secrets = [
  "ya29.a0AfH6SMBxSecretAccessToken",
  "1//0gSecretRefreshToken-abc",
  "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJl",
  "sb_secret_abcdefghijklmnop",
  "4/0AbUR2VMsecretcode",
  "GOCSPX-client-secret-value",
  "hunter2-password",
  "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8",
];

Deno.test("jobErrorText cuts every credential-shaped part out of an error", () => {
  const messages = [
    `fetch failed: Authorization: Bearer ${secrets[0]}`,
    `token endpoint said {"access_token":"${secrets[0]}","refresh_token":"${secrets[1]}"}`,
    `POST /functions/v1/worker with ${secrets[2]} refused`,
    `apikey: ${secrets[3]}`,
    `GET /callback?code=${secrets[4]}&state=x failed`,
    `client_secret=${secrets[5]} rejected`,
    `connect failed: password=${secrets[6]}`,
    `opaque ${secrets[7]}`,
    `Basic ${btoa("client:" + secrets[5])}`,
  ];
  for (const message of messages) {
    const text = jobErrorText(new Error(message));
    for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.match(text, /\[redacted\]/, text);
  }
});

Deno.test("jobErrorText keeps what operators need", () => {
  const message = 'Google answered 403 {"error":{"code":403,"status":"PERMISSION_DENIED"}} for ' +
    "appointment 1b4e28ba-2fa1-41d2-883f-0016d3cca427, event 3ch3o6j0q2rl4kb7fjqm5i7kgc";
  assert.equal(jobErrorText(new Error(message)), `Error: ${message}`);
  class GoogleApiError extends Error {
    override name = "GoogleApiError";
  }
  assert.equal(jobErrorText(new GoogleApiError("rate limited")), "GoogleApiError: rate limited");
  assert.equal(jobErrorText("a thrown string"), "a thrown string");
});

Deno.test("jobErrorText keeps a long error to 1000 characters", () => {
  assert.equal(jobErrorText(new Error("x ".repeat(2000))).length, 1000);
});
