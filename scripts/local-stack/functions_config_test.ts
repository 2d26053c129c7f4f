import assert from "node:assert/strict";
import { parseEnvFile } from "./functions_config.ts";

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
