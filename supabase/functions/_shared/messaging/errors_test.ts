import assert from "node:assert/strict";
import { classifySendError, failureText, type SendErrorKind } from "./errors.ts";

function kind(provider: "meta" | "twilio", code: string | number | null, status?: number) {
  return classifySendError(provider, code, status).kind;
}

Deno.test("Meta: the 24-hour window (131047) is closed, not retried, whatever the HTTP status", () => {
  for (const status of [undefined, 400, 500]) {
    const c = classifySendError("meta", 131047, status);
    assert.deepEqual([c.kind, c.retry], ["window_closed", false]);
    assert.match(c.text, /24 hours/);
  }
});

Deno.test("Meta: codes by kind (PROVIDERS §4.7)", () => {
  const cases: [number, SendErrorKind][] = [
    [131026, "undeliverable"],
    [131030, "undeliverable"],
    [190, "channel_credentials"],
    [0, "channel_credentials"],
    [10, "channel_credentials"],
    [368, "channel_credentials"],
    [130429, "rate_limited"],
    [131056, "rate_limited"],
    [4, "rate_limited"],
    [80007, "rate_limited"],
    [131048, "rate_limited"],
    [131000, "transient"],
    [131051, "invalid"],
    [132001, "invalid"],
    [132005, "invalid"],
  ];
  for (const [code, expected] of cases) {
    assert.equal(kind("meta", code, 400), expected, String(code));
    assert.equal(kind("meta", String(code)), expected, `"${code}"`);
  }
});

Deno.test("Twilio: codes by kind (PROVIDERS §3.3), numbers or the callback's strings", () => {
  const cases: [number, SendErrorKind][] = [
    [63016, "window_closed"],
    [21610, "opted_out"],
    [20003, "channel_credentials"],
    [20429, "rate_limited"],
    [21211, "undeliverable"],
    [30007, "undeliverable"],
    [20500, "transient"],
  ];
  for (const [code, expected] of cases) {
    assert.equal(kind("twilio", code, 400), expected, String(code));
    assert.equal(kind("twilio", ` ${code} `), expected, `"${code}"`);
  }
});

Deno.test("a code means what its provider says: Meta's 4 is not Twilio's, Twilio's 21610 not Meta's", () => {
  assert.equal(kind("meta", 4), "rate_limited");
  assert.equal(kind("twilio", 4), "unknown");
  assert.equal(kind("meta", 21610), "unknown");
  assert.equal(kind("twilio", 131047), "unknown");
});

Deno.test("only rate limits and transient failures are retried", () => {
  const retried = new Set<SendErrorKind>(["rate_limited", "transient"]);
  for (
    const [provider, code, status] of [
      ["meta", 130429, 400],
      ["meta", 131047, 400],
      ["meta", 190, 401],
      ["meta", null, 503],
      ["meta", null, 0],
      ["twilio", 21610, 400],
      ["twilio", 20429, 429],
      ["twilio", null, 404],
      ["twilio", "garbage", undefined],
    ] as const
  ) {
    const c = classifySendError(provider, code, status);
    assert.equal(c.retry, retried.has(c.kind), `${provider} ${code} ${status}`);
  }
});

Deno.test("no known code: the HTTP status decides; neither → unknown, not retried", () => {
  assert.equal(kind("meta", null, 0), "transient"); // timeout or no answer
  assert.equal(kind("meta", null, 408), "transient");
  assert.equal(kind("meta", null, 502), "transient");
  assert.equal(kind("twilio", null, 500), "transient");
  assert.equal(kind("meta", 999999, 503), "transient");
  assert.equal(kind("twilio", null, 429), "rate_limited");
  assert.equal(kind("meta", null, 401), "channel_credentials");
  assert.equal(kind("twilio", null, 403), "channel_credentials");
  assert.equal(kind("meta", 999999, 400), "invalid");
  assert.equal(kind("twilio", null, 404), "invalid");
  assert.equal(kind("meta", null), "unknown");
  assert.equal(kind("meta", "131047x"), "unknown");
  assert.equal(kind("meta", 1.5), "unknown");
  assert.equal(classifySendError("twilio", null).retry, false);
});

Deno.test("texts are sentences for staff, one per kind, without codes or provider bodies", () => {
  const kinds = new Set<string>();
  for (
    const [provider, code] of [
      ["meta", 131047],
      ["meta", 131026],
      ["meta", 190],
      ["twilio", 21610],
      ["meta", 130429],
      ["meta", 131000],
      ["meta", 131051],
      ["meta", null],
    ] as const
  ) {
    const c = classifySendError(provider, code);
    assert.match(c.text, /^Not (sent|delivered)/);
    assert.doesNotMatch(c.text, /\d{3,}/);
    kinds.add(c.text);
  }
  assert.equal(kinds.size, 8);
  assert.match(classifySendError("meta", 190).text, /Channels/);
});

Deno.test("failureText adds the provider's words only where ours are vague, trimmed to one line", () => {
  const invalid = classifySendError("meta", 132005);
  assert.equal(
    failureText(invalid, "Text too\n long "),
    `${invalid.text}: Text too long`,
  );
  assert.equal(failureText(invalid, "x".repeat(1000)).length, invalid.text.length + 2 + 300);
  const window = classifySendError("meta", 131047);
  assert.equal(failureText(window, "Re-engagement message"), window.text);
  assert.equal(failureText(invalid, null), invalid.text);
  assert.equal(failureText(invalid, "  "), invalid.text);
});
