import assert from "node:assert/strict";
import { parseEnvFile, verifyJwtSettings } from "./functions_config.ts";

Deno.test("verify_jwt follows config.toml and defaults to true like the hosted platform", () => {
  const verify = verifyJwtSettings(`
project_id = "x"
[functions.whatsapp-webhook]
verify_jwt = false
[functions.staff-reply]
verify_jwt = true
`);
  assert.equal(verify("whatsapp-webhook"), false);
  assert.equal(verify("staff-reply"), true);
  assert.equal(verify("not-configured"), true);
});

Deno.test("functions .env: comments, export, quotes and inline comments", () => {
  assert.deepEqual(
    parseEnvFile(`# provider sandboxes
export OPENAI_BASE_URL=http://127.0.0.1:9000/v1
TWILIO_AUTH_TOKEN="abc # not a comment"
META_APP_SECRET=s3cret # a comment

not a line
`),
    {
      OPENAI_BASE_URL: "http://127.0.0.1:9000/v1",
      TWILIO_AUTH_TOKEN: "abc # not a comment",
      META_APP_SECRET: "s3cret",
    },
  );
});
