import assert from "node:assert/strict";
import {
  afterDialTwiml,
  callStatusOf,
  fallbackPlan,
  type FallbackSettings,
  fallbackTwiml,
  notInServiceTwiml,
  readVoiceForm,
  routeOf,
  sorryTwiml,
  speech,
  thanksTwiml,
} from "./voice_plan.ts";

const AC = "AC" + "a".repeat(32);
const CA = "CA" + "b".repeat(32);
const urls = {
  dial: "https://p.example/functions/v1/twilio-voice/dial",
  recording:
    "https://p.example/functions/v1/twilio-voice/recording?to=%2B442079460123&from=%2B447700900123",
};
const northside: FallbackSettings = {
  clinicName: "Northside Dental",
  language: "en",
  voiceId: "en-GB-SoniaNeural",
  afterHours: "take_message",
  escalationPhone: "+442079460000",
};

Deno.test("routes: the four webhooks and nothing else", () => {
  for (const r of ["fallback", "dial", "recording", "status"]) assert.equal(routeOf(r), r);
  for (const r of ["", "twilio-voice", "Fallback", "voice", "constructor", "__proto__"]) {
    assert.equal(routeOf(r), null, r);
  }
});

Deno.test("a form needs an account SID, a call SID and the called number", () => {
  const ok = new URLSearchParams({
    AccountSid: AC,
    CallSid: CA,
    To: "+44 20 7946 0123",
    From: "+447700900123",
  });
  const form = readVoiceForm(ok, new URLSearchParams());
  assert.ok(typeof form !== "string");
  assert.equal(form.to, "+442079460123");
  assert.equal(form.from, "+447700900123");
  const without = (k: string) => {
    const f = new URLSearchParams(ok);
    f.delete(k);
    return readVoiceForm(f, new URLSearchParams());
  };
  assert.match(without("AccountSid") as string, /AccountSid/);
  assert.match(without("CallSid") as string, /CallSid/);
  assert.match(without("To") as string, /To/);
  assert.match(
    readVoiceForm(
      new URLSearchParams({ AccountSid: "AC1", CallSid: CA, To: "+442079460123" }),
      new URLSearchParams(),
    ) as string,
    /AccountSid/,
  );
  assert.match(
    readVoiceForm(
      new URLSearchParams({ AccountSid: AC, CallSid: CA, To: "client:anna" }),
      new URLSearchParams(),
    ) as string,
    /To/,
  );
  // A withheld caller is no reason to refuse.
  const anonymous = readVoiceForm(
    new URLSearchParams({ AccountSid: AC, CallSid: CA, To: "+442079460123", From: "anonymous" }),
    new URLSearchParams(),
  );
  assert.ok(typeof anonymous !== "string" && anonymous.from === null);
});

Deno.test("recording callbacks take the numbers from our callback URL", () => {
  const form = readVoiceForm(
    new URLSearchParams({ AccountSid: AC, CallSid: CA, RecordingUrl: "https://x/r" }),
    new URL(urls.recording).searchParams,
  );
  assert.ok(typeof form !== "string");
  assert.equal(form.to, "+442079460123");
  assert.equal(form.from, "+447700900123");
});

Deno.test("fallback: dial only for transfer with an escalation phone; else voicemail", () => {
  assert.equal(fallbackPlan(northside), "voicemail");
  assert.equal(fallbackPlan({ ...northside, afterHours: "book_only" }), "voicemail");
  assert.equal(fallbackPlan({ ...northside, afterHours: "transfer" }), "dial");
  assert.equal(
    fallbackPlan({ ...northside, afterHours: "transfer", escalationPhone: null }),
    "voicemail",
  );
});

Deno.test("voicemail TwiML: greeting in the clinic's voice, record with callbacks, goodbye if silent", () => {
  const xml = fallbackTwiml(northside, urls).toString();
  assert.match(
    xml,
    /^<\?xml[^>]*\?><Response><Say language="en-GB" voice="Google\.en-GB-Standard-A">Thank you for calling Northside Dental\. We can&apos;t take your call/,
  );
  const record = xml.match(/<Record [^>]*\/>/)![0];
  const esc = urls.recording.replace("&", "&amp;");
  assert.ok(record.includes(`action="${esc}"`));
  assert.ok(record.includes(`recordingStatusCallback="${esc}"`));
  assert.ok(record.includes('recordingStatusCallbackEvent="completed"'));
  assert.ok(record.includes('maxLength="120"'));
  assert.match(
    xml,
    /<\/Say><Record [^>]*\/><Say [^>]*>We did not get a message[^<]*<\/Say><Hangup\/><\/Response>$/,
  );
  assert.doesNotMatch(xml, /<Dial/);
});

Deno.test("dial TwiML: say, then dial the escalation phone with the dial callback", () => {
  const xml = fallbackTwiml({ ...northside, afterHours: "transfer" }, urls).toString();
  assert.match(xml, /<Say [^>]*>Thank you for calling Northside Dental\. Please hold/);
  assert.match(
    xml,
    /<Dial action="https:\/\/p\.example\/functions\/v1\/twilio-voice\/dial" timeout="25" answerOnBridge="true"><Number>\+442079460000<\/Number><\/Dial><\/Response>$/,
  );
  assert.doesNotMatch(xml, /<Record/);
});

Deno.test("after the dial: answered → hang up; not answered → voicemail", () => {
  const transfer = { ...northside, afterHours: "transfer" as const };
  for (const s of ["completed", "answered"]) {
    assert.match(afterDialTwiml(s, transfer, urls).toString(), /<Response><Hangup\/><\/Response>$/);
  }
  for (const s of ["no-answer", "busy", "failed", "canceled", null]) {
    const xml = afterDialTwiml(s, transfer, urls).toString();
    assert.match(xml, /<Record /, String(s));
    assert.doesNotMatch(xml, /<Dial/);
  }
});

Deno.test("the clinic's language: lines, locale from the voice, region kept, English otherwise", () => {
  const ru = fallbackTwiml({
    ...northside,
    clinicName: "Riverside Physio",
    language: "ru",
    voiceId: "ru-RU-SvetlanaNeural",
  }, urls).toString();
  assert.match(
    ru,
    /<Say language="ru-RU" voice="Google\.ru-RU-Standard-A">Спасибо за звонок в Riverside Physio/,
  );
  assert.deepEqual(speech("lv").say, { language: "lv-LV", voice: "Google.lv-LV-Standard-A" });
  assert.deepEqual(speech("en-US").say, { language: "en-US", voice: "Google.en-US-Standard-A" });
  // A voice for another language says nothing about this one's locale.
  assert.equal(speech("de", "en-GB-SoniaNeural").say.language, "de-DE");
  const ja = speech("ja");
  assert.equal(ja.say.language, "en-GB");
  assert.match(ja.lines.notInService, /not in service/);
});

Deno.test("a clinic name with markup is spoken as text", () => {
  const xml = fallbackTwiml({ ...northside, clinicName: "A&B <Dental>" }, urls).toString();
  assert.ok(xml.includes("Thank you for calling A&amp;B &lt;Dental&gt;."));
});

Deno.test("sorry, thanks and not-in-service end the call politely", () => {
  assert.match(
    sorryTwiml(urls).toString(),
    /<Say [^>]*>Sorry, we are having trouble[^<]*<\/Say><Record [^>]*action="[^"]*twilio-voice\/recording/,
  );
  assert.match(
    thanksTwiml("ru", null).toString(),
    /<Say language="ru-RU"[^>]*>Спасибо, мы получили[^<]*<\/Say><Hangup\/>/,
  );
  assert.match(
    notInServiceTwiml().toString(),
    /<Say [^>]*>Sorry, this number is not in service[^<]*<\/Say><Hangup\/><\/Response>$/,
  );
});

Deno.test("Twilio's call statuses map onto ours", () => {
  assert.equal(callStatusOf("ringing"), "ringing");
  assert.equal(callStatusOf("queued"), "ringing");
  assert.equal(callStatusOf("in-progress"), "in_progress");
  for (const s of ["completed", "busy", "failed", "no-answer", "canceled"]) {
    assert.equal(callStatusOf(s), "ended");
  }
  assert.equal(callStatusOf("exploded"), null);
  assert.equal(callStatusOf(null), null);
});
