import assert from "node:assert/strict";
import { formParams, signedText, twilioSignature, validTwilioSignature } from "./signature.ts";

// The worked example of Twilio's "Validating requests" page (signature checked with node:crypto).
const DOC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
const DOC_TOKEN = "12345";
const DOC_PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+12349013030",
  Digits: "1234",
  From: "+12349013030",
  To: "+18005551212",
};

Deno.test("Twilio's documented example signs to its documented signature", async () => {
  assert.deepEqual(
    await twilioSignature(DOC_TOKEN, DOC_URL, DOC_PARAMS),
    "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
  );
  assert.ok(
    await validTwilioSignature(DOC_TOKEN, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", DOC_URL, DOC_PARAMS),
  );
});

Deno.test("the signed text is the URL then name+value sorted by name, repeated values deduped and sorted", () => {
  assert.deepEqual(
    signedText("https://x.example/h", { b: "2", a: "1" }),
    "https://x.example/ha1b2",
  );
  assert.deepEqual(
    signedText("https://x.example/h", { k: ["z", "a", "z"], a: "" }),
    "https://x.example/hakakz",
  );
});

Deno.test("formParams keeps every value of a repeated name", () => {
  assert.deepEqual(formParams(new URLSearchParams("a=1&b=2&a=3&c=")), {
    a: ["1", "3"],
    b: "2",
    c: "",
  });
});

const token = "s3cr3t";

// twilio-node spec/unit/webhooks/webhooks.spec.js: the port and quote variants.
Deno.test("a URL signed with or without :443 validates against either form", async () => {
  for (
    const [signedUrl, targetUrl] of [
      ["https://example.com:443/path?test=param", "https://example.com:443/path?test=param"],
      ["https://example.com:443/path?test=param", "https://example.com/path?test=param"],
      ["https://example.com/path?test=param", "https://example.com/path?test=param"],
      ["https://example.com/path?test=param", "https://example.com:443/path?test=param"],
    ]
  ) {
    const signature = await twilioSignature(token, signedUrl, {});
    assert.ok(
      await validTwilioSignature(token, signature, targetUrl, {}),
      `${signedUrl} → ${targetUrl}`,
    );
  }
});

Deno.test("a signature over the URL written with :443 (not normalised) still validates", async () => {
  const params = { CallSid: "CA1", To: "+442079460123" };
  const literal = signedText("https://example.com:443/fallback?x=1", params);
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(token),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(literal)),
  );
  const signature = btoa(String.fromCharCode(...mac));
  assert.ok(
    await validTwilioSignature(token, signature, "https://example.com/fallback?x=1", params),
  );
  assert.ok(
    await validTwilioSignature(token, signature, "https://example.com:443/fallback?x=1", params),
  );
});

Deno.test("an http URL with :80 and a non-default port", async () => {
  const signature = await twilioSignature(token, "http://127.0.0.1:80/a", {});
  assert.ok(await validTwilioSignature(token, signature, "http://127.0.0.1/a", {}));
  const local = await twilioSignature(token, "http://127.0.0.1:59321/functions/v1/x", { A: "1" });
  assert.ok(
    await validTwilioSignature(token, local, "http://127.0.0.1:59321/functions/v1/x", { A: "1" }),
  );
  assert.equal(
    await validTwilioSignature(token, local, "http://127.0.0.1:59322/functions/v1/x", { A: "1" }),
    false,
  );
});

Deno.test("quotes in the query: escaped and unescaped are the same URL", async () => {
  for (
    const [signedUrl, targetUrl] of [
      [
        "https://example.com/path?test=param'WithQuote",
        "https://example.com/path?test=param'WithQuote",
      ],
      [
        "https://example.com/path?test=param'WithQuote",
        "https://example.com/path?test=param%27WithQuote",
      ],
      [
        "https://example.com/path?test=param%27WithQuote",
        "https://example.com/path?test=param'WithQuote",
      ],
    ]
  ) {
    const signature = await twilioSignature(token, signedUrl, {});
    assert.ok(
      await validTwilioSignature(token, signature, targetUrl, {}),
      `${signedUrl} → ${targetUrl}`,
    );
  }
});

Deno.test("anything changed fails: URL, query, a param, a token, the signature, nothing sent", async () => {
  const url = "https://example.com/path?test=param";
  const params = { CallSid: "CA1", From: "+15550001111" };
  const signature = await twilioSignature(token, url, params);
  assert.ok(await validTwilioSignature(token, signature, url, params));
  assert.equal(
    await validTwilioSignature(token, signature, "https://example.com/path?test=param2", params),
    false,
  );
  assert.equal(
    await validTwilioSignature(token, signature, "https://example.com/path", params),
    false,
  );
  assert.equal(
    await validTwilioSignature(token, signature, "https://example.org/path?test=param", params),
    false,
  );
  assert.equal(
    await validTwilioSignature(token, signature, url, { ...params, From: "+15550001112" }),
    false,
  );
  assert.equal(await validTwilioSignature(token, signature, url, { ...params, Extra: "" }), false);
  assert.equal(await validTwilioSignature("other", signature, url, params), false);
  assert.equal(await validTwilioSignature(token, signature.slice(1), url, params), false);
  assert.equal(await validTwilioSignature(token, signature + "=", url, params), false);
  assert.equal(await validTwilioSignature(token, null, url, params), false);
  assert.equal(await validTwilioSignature(token, "", url, params), false);
  assert.equal(await validTwilioSignature("", signature, url, params), false);
  assert.equal(await validTwilioSignature(token, signature, "not a url", params), false);
});

Deno.test("non-ASCII values are signed as UTF-8", async () => {
  const params = { CallerName: "Анна Łódź" };
  const signature = await twilioSignature(token, "https://example.com/h", params);
  assert.ok(await validTwilioSignature(token, signature, "https://example.com/h", params));
  assert.equal(
    await validTwilioSignature(token, signature, "https://example.com/h", {
      CallerName: "Анна Lodz",
    }),
    false,
  );
});
