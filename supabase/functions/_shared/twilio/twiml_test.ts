import assert from "node:assert/strict";
import { escapeXml, twimlResponse, VoiceResponse } from "./twiml.ts";

const doc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${body}</Response>`;

Deno.test("verbs in order with their attributes; undefined attributes left out", () => {
  const twiml = new VoiceResponse()
    .say("Hello", { voice: "Google.en-GB-Standard-A", language: "en-GB" })
    .dial("+442079460000", { action: "https://x/f?a=1&b=2", timeout: 20, callerId: undefined })
    .record({ maxLength: 120, playBeep: true })
    .redirect("https://x/next", { method: "POST" })
    .hangup();
  assert.deepEqual(
    twiml.toString(),
    doc(
      '<Say voice="Google.en-GB-Standard-A" language="en-GB">Hello</Say>' +
        '<Dial action="https://x/f?a=1&amp;b=2" timeout="20"><Number>+442079460000</Number></Dial>' +
        '<Record maxLength="120" playBeep="true"/>' +
        '<Redirect method="POST">https://x/next</Redirect><Hangup/>',
    ),
  );
});

Deno.test("text and attributes are escaped; control characters dropped", () => {
  assert.deepEqual(
    escapeXml(`<a href="x">'&'</a>\u0000\u0007ok\n`),
    "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;ok\n",
  );
  assert.deepEqual(
    new VoiceResponse().say(`Dr "O'Hara" & <Co>`, { language: 'en"><Hangup/>' }).toString(),
    doc(
      '<Say language="en&quot;&gt;&lt;Hangup/&gt;">Dr &quot;O&apos;Hara&quot; &amp; &lt;Co&gt;</Say>',
    ),
  );
});

Deno.test("an empty response is valid TwiML; the HTTP answer is text/xml", async () => {
  assert.deepEqual(new VoiceResponse().toString(), doc(""));
  const res = twimlResponse(new VoiceResponse().hangup());
  assert.deepEqual(res.status, 200);
  assert.deepEqual(res.headers.get("content-type"), "text/xml; charset=utf-8");
  assert.deepEqual(await res.text(), doc("<Hangup/>"));
});
