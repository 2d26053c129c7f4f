// TwiML for voice (twilio.com/docs/voice/twiml): a tiny builder that escapes every text and
// attribute, with the verbs the twilio-voice function answers with. npm `twilio`'s VoiceResponse
// would bring the whole REST SDK (axios, jsonwebtoken, …) into a cold-started function for a few
// lines of XML.

export type Attributes = Record<string, string | number | boolean | undefined>;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** XML-escaped text; characters XML 1.0 forbids (most control characters) are dropped. */
export function escapeXml(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function element(name: string, attributes: Attributes, content?: string): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join("");
  return content === undefined ? `<${name}${attrs}/>` : `<${name}${attrs}>${content}</${name}>`;
}

/** A `<Response>` built verb by verb; `toString()` is the document Twilio reads. */
export class VoiceResponse {
  #verbs: string[] = [];

  say(text: string, attributes: { voice?: string; language?: string; loop?: number } = {}): this {
    this.#verbs.push(element("Say", attributes, escapeXml(text)));
    return this;
  }

  /** `<Dial>` one number; without `action` the call goes on with the next verb. */
  dial(
    number: string,
    attributes: {
      action?: string;
      method?: "GET" | "POST";
      timeout?: number;
      callerId?: string;
      answerOnBridge?: boolean;
      timeLimit?: number;
    } = {},
  ): this {
    this.#verbs.push(element("Dial", attributes, element("Number", {}, escapeXml(number))));
    return this;
  }

  record(
    attributes: {
      action?: string;
      method?: "GET" | "POST";
      timeout?: number;
      maxLength?: number;
      playBeep?: boolean;
      finishOnKey?: string;
      recordingStatusCallback?: string;
      recordingStatusCallbackMethod?: "GET" | "POST";
      recordingStatusCallbackEvent?: string;
    } = {},
  ): this {
    this.#verbs.push(element("Record", attributes));
    return this;
  }

  redirect(url: string, attributes: { method?: "GET" | "POST" } = {}): this {
    this.#verbs.push(element("Redirect", attributes, escapeXml(url)));
    return this;
  }

  hangup(): this {
    this.#verbs.push("<Hangup/>");
    return this;
  }

  toString(): string {
    return `<?xml version="1.0" encoding="UTF-8"?><Response>${this.#verbs.join("")}</Response>`;
  }
}

/** A TwiML answer (200, text/xml). */
export const twimlResponse = (twiml: VoiceResponse) =>
  new Response(twiml.toString(), {
    headers: { "content-type": "text/xml; charset=utf-8", "cache-control": "no-store" },
  });
