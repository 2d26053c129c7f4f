// A call to one of the sandbox's numbers, as Twilio runs it: the number's voice URL (Vapi: the
// Vapi sandbox's in-process answerInbound) and, when that fails, the voice fallback URL with
// ErrorCode/ErrorUrl; the TwiML answered is followed (Say, Dial → the action with DialCallStatus,
// Record → the action and the recording status callback with a recording the sandbox serves,
// Redirect, Hangup); at the end the number's status callback hears `completed`. Every webhook
// request is form-encoded and signed with the account's auth token exactly as Twilio signs it.
import { twilioSignature } from "../../../../supabase/functions/_shared/twilio/signature.ts";
import type { SandboxContext } from "./context.ts";
import { rfc2822 } from "./http.ts";
import { type Call, type CallStep, type IncomingNumber, newSid } from "./store.ts";
import { readTwiml, type Verb } from "./twiml_reader.ts";

export interface PlaceCall {
  to: string;
  from: string;
  /** What the caller says: to Vapi's assistant line by line, or as the voicemail. */
  script?: string[];
  /** How a <Dial>ed person answers (default no-answer: the caller is sent to voicemail). */
  dial?: "completed" | "no-answer" | "busy" | "failed";
}

/** Twilio stops following a call after this many documents (a Redirect loop). */
const MAX_DOCUMENTS = 10;
/** Twilio waits 15 s for a webhook (error 11205). */
const WEBHOOK_TIMEOUT_MS = 15_000;

/** Seconds a line takes to say (about 150 words a minute). */
const spoken = (text: string) => Math.max(1, Math.round(text.split(/\s+/).length / 2.5));

class CallRun {
  #documents = 0;
  constructor(
    readonly ctx: SandboxContext,
    readonly number: IncomingNumber,
    readonly call: Call,
    readonly request: PlaceCall,
  ) {}

  step(step: CallStep) {
    this.call.steps.push(step);
  }

  /** The parameters of every voice request for this call. */
  params(extra: Record<string, string> = {}): Record<string, string> {
    const { call } = this;
    return {
      AccountSid: call.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: call.sid,
      CallStatus: call.status,
      Direction: "inbound",
      From: call.from,
      To: call.to,
      Caller: call.from,
      Called: call.to,
      ...extra,
    };
  }

  /** A signed webhook request; the answer's status and text, or null when it could not be had. */
  async webhook(
    url: string,
    method: string,
    params: Record<string, string>,
    purpose: string,
  ): Promise<{ status: number; body: string } | null> {
    const authToken = this.ctx.store.accounts.get(this.call.accountSid)!.authToken;
    const get = method.toUpperCase() === "GET";
    let target = url;
    if (get) {
      const u = new URL(url);
      for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
      target = u.toString();
    }
    const headers: Record<string, string> = {
      "x-twilio-signature": await twilioSignature(authToken, target, get ? {} : params),
      "user-agent": "TwilioProxy/1.1",
      "i-twilio-idempotency-token": crypto.randomUUID(),
    };
    if (!get) headers["content-type"] = "application/x-www-form-urlencoded";
    try {
      const res = await this.ctx.fetch(target, {
        method: get ? "GET" : "POST",
        headers,
        body: get ? undefined : new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      const body = await res.text();
      this.step({ verb: "request", url: this.safe(url), status: res.status, purpose });
      return { status: res.status, body };
    } catch {
      this.step({ verb: "request", url: this.safe(url), status: 0, purpose });
      return null;
    }
  }

  /** URLs in the call's steps without their query (it may carry numbers). */
  safe(url: string): string {
    return url.split("?")[0];
  }

  /** A TwiML document from a webhook, or null (the call ends with Twilio's application error). */
  async document(
    url: string,
    method: string,
    params: Record<string, string>,
    purpose: string,
  ): Promise<Verb[] | null> {
    if (++this.#documents > MAX_DOCUMENTS) {
      this.step({ verb: "application-error", detail: "too many documents (a Redirect loop?)" });
      return null;
    }
    const answer = await this.webhook(url, method, params, purpose);
    if (!answer || answer.status < 200 || answer.status > 299) {
      this.step({
        verb: "application-error",
        detail: answer ? `HTTP ${answer.status} (11200)` : "no answer (11205)",
      });
      return null;
    }
    const verbs = readTwiml(answer.body);
    if (typeof verbs === "string") {
      this.step({ verb: "application-error", detail: `not TwiML: ${verbs} (12100)` });
      return null;
    }
    return verbs;
  }

  /** Follows TwiML until the call ends. */
  async follow(first: Verb[]): Promise<void> {
    let verbs: Verb[] | null = first;
    while (verbs) {
      const next: Verb[] | null | "end" = await this.run(verbs);
      if (next === "end") return;
      verbs = next;
    }
  }

  /** Runs one document: the next document to run, or "end". */
  async run(verbs: Verb[]): Promise<Verb[] | null | "end"> {
    for (const verb of verbs) {
      const a = verb.attributes;
      switch (verb.name) {
        case "Say": {
          this.step({
            verb: "say",
            text: verb.text,
            language: a.language ?? null,
            voice: a.voice ?? null,
          });
          this.call.seconds += spoken(verb.text) * Math.max(1, Number(a.loop) || 1);
          break;
        }
        case "Pause":
          this.call.seconds += Number(a.length) || 1;
          break;
        case "Dial": {
          const result = this.request.dial ?? "no-answer";
          const seconds = result === "completed" ? 30 : 0;
          this.call.seconds += result === "completed" ? seconds : Number(a.timeout) || 30;
          this.step({ verb: "dial", number: verb.text, result });
          if (!a.action) break; // without an action the call goes on with the next verb
          return await this.document(
            new URL(a.action, this.number.voiceFallbackUrl).toString(),
            a.method ?? "POST",
            this.params({
              DialCallStatus: result,
              DialCallSid: newSid("CA"),
              DialCallDuration: String(seconds),
              DialBridged: String(result === "completed"),
            }),
            "dial action",
          ) ?? "end";
        }
        case "Record": {
          const text = (this.request.script ?? []).join(" ").trim();
          if (!text) {
            // Nothing recorded: no action request, the next verb runs.
            this.step({ verb: "record", recordingSid: null, seconds: 0 });
            this.call.seconds += Number(a.timeout) || 5;
            break;
          }
          const max = Number(a.maxLength) || 3600;
          const seconds = Math.min(max, spoken(text));
          const sid = newSid("RE");
          const recordingUrl =
            `${this.ctx.baseUrl}/2010-04-01/Accounts/${this.call.accountSid}/Recordings/${sid}`;
          this.ctx.store.recordings.set(sid, {
            sid,
            accountSid: this.call.accountSid,
            callSid: this.call.sid,
            seconds,
            text,
            createdAt: this.ctx.store.now(),
          });
          this.step({ verb: "record", recordingSid: sid, seconds });
          this.call.seconds += seconds;
          const base = this.number.voiceFallbackUrl || this.number.voiceUrl;
          const action = new URL(a.action ?? base, base).toString();
          const next = await this.document(
            action,
            a.method ?? "POST",
            this.params({
              RecordingUrl: recordingUrl,
              RecordingDuration: String(seconds),
              Digits: "hangup",
            }),
            "record action",
          );
          if (a.recordingStatusCallback) {
            await this.webhook(
              new URL(a.recordingStatusCallback, base).toString(),
              a.recordingStatusCallbackMethod ?? "POST",
              {
                AccountSid: this.call.accountSid,
                CallSid: this.call.sid,
                RecordingSid: sid,
                RecordingUrl: recordingUrl,
                RecordingStatus: "completed",
                RecordingDuration: String(seconds),
                RecordingChannels: "1",
                RecordingSource: "RecordVerb",
                RecordingStartTime: rfc2822(this.ctx.store.now()),
              },
              "recording status callback",
            );
          }
          return next ?? "end";
        }
        case "Redirect": {
          const base = this.number.voiceFallbackUrl || this.number.voiceUrl;
          const url = new URL(verb.text, base).toString();
          this.step({ verb: "redirect", url: this.safe(url) });
          return await this.document(url, a.method ?? "POST", this.params(), "redirect") ?? "end";
        }
        case "Hangup":
        case "Reject":
          this.step({ verb: "hangup" });
          return "end";
        default:
          // Twilio refuses an unknown verb (error 12200) and ends the call.
          this.step({ verb: "application-error", detail: `unknown verb <${verb.name}> (12200)` });
          return "end";
      }
    }
    return "end";
  }
}

/** Places a call to `request.to` and runs it to the end; the call with what happened. */
export async function placeCall(ctx: SandboxContext, request: PlaceCall): Promise<Call | null> {
  const number = ctx.store.numberByPhone(request.to);
  if (!number) return null;
  const call: Call = {
    sid: newSid("CA"),
    accountSid: number.accountSid,
    from: request.from,
    to: request.to,
    status: "ringing",
    answeredBy: null,
    vapiCallId: null,
    steps: [],
    startedAt: ctx.store.now(),
    endedAt: null,
    seconds: 0,
  };
  ctx.store.calls.set(call.sid, call);
  if (ctx.store.calls.size > 200) ctx.store.calls.delete(ctx.store.calls.keys().next().value!);
  const run = new CallRun(ctx, number, call, request);

  let errorCode = "11200";
  if (ctx.vapi && number.voiceUrl) {
    const answer = await ctx.vapi.answerInbound({
      number: request.to,
      callSid: call.sid,
      from: request.from,
      script: request.script,
    });
    run.step({
      verb: "vapi",
      handled: answer.handled,
      detail: answer.handled ? answer.callId : answer.reason,
    });
    if (answer.handled) {
      call.answeredBy = "vapi";
      call.vapiCallId = answer.callId;
      call.status = "in-progress";
      // The phone leg lasts the conversation: a greeting, then each line and its answer.
      call.seconds = 5 + (request.script ?? []).reduce((sum, line) => sum + spoken(line) + 4, 0);
    } else errorCode = "11205";
  }
  if (!call.answeredBy) {
    if (number.voiceFallbackUrl) {
      const verbs = await run.document(
        number.voiceFallbackUrl,
        number.voiceFallbackMethod,
        run.params({ ErrorCode: errorCode, ErrorUrl: number.voiceUrl }),
        "voice fallback",
      );
      if (verbs) {
        call.answeredBy = "fallback";
        call.status = "in-progress";
        await run.follow(verbs);
      }
    } else {
      run.step({ verb: "application-error", detail: "no voice URL answered and no fallback URL" });
    }
  }
  call.status = call.answeredBy ? "completed" : "failed";
  call.endedAt = ctx.store.now();
  if (number.statusCallback) {
    await run.webhook(
      number.statusCallback,
      number.statusCallbackMethod,
      run.params({
        CallDuration: String(call.seconds),
        Duration: String(Math.ceil(call.seconds / 60)),
        Timestamp: rfc2822(call.endedAt),
        CallbackSource: "call-progress-events",
        SequenceNumber: "0",
      }),
      "status callback",
    );
  }
  return call;
}
