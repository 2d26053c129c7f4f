// What the twilio-voice function decides, without I/O: which webhook a request is, whether its
// form is one Twilio could have sent, what a caller hears when Vapi cannot take the call (the
// number's voice fallback), and how Twilio's call statuses map onto our call lifecycle.
import { toE164 } from "../domain/phone.ts";
import { VoiceResponse } from "./twiml.ts";

/** fallback: the number's voice fallback URL; dial: the fallback `<Dial>`'s action;
 * recording: the `<Record>` action and its recording status callback; status: the number's
 * status callback. */
export const ROUTES = ["fallback", "dial", "recording", "status"] as const;
export type VoiceRoute = typeof ROUTES[number];

export const routeOf = (name: string): VoiceRoute | null =>
  (ROUTES as readonly string[]).includes(name) ? name as VoiceRoute : null;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export interface VoiceForm {
  accountSid: string;
  callSid: string;
  /** The called number (E.164): Twilio's `To`, or the `to` we put in a callback URL. */
  to: string;
  /** The caller (E.164), when Twilio or our callback URL says; withheld numbers are null. */
  from: string | null;
  /** Every form field, for the signature. */
  fields: URLSearchParams;
}

/**
 * The fields every route needs, or what is wrong (a 400's message). Recording callbacks carry
 * no `To`/`From`: the URL we gave Twilio for them does (`?to=…&from=…`), signed with the rest.
 */
export function readVoiceForm(fields: URLSearchParams, query: URLSearchParams): VoiceForm | string {
  const accountSid = fields.get("AccountSid") ?? "";
  if (!ACCOUNT_SID.test(accountSid)) return "AccountSid must be a Twilio account SID (AC…)";
  const callSid = fields.get("CallSid") ?? "";
  if (!CALL_SID.test(callSid)) return "CallSid must be a Twilio call SID (CA…)";
  const calledText = fields.get("To") ?? query.get("to");
  const to = calledText ? toE164(calledText) : null;
  if (!to) return "To must be the called number in E.164";
  const callerText = fields.get("From") ?? query.get("from");
  return { accountSid, callSid, to, from: callerText ? toE164(callerText) : null, fields };
}

/** What the fallback needs to know about the clinic. */
export interface FallbackSettings {
  clinicName: string;
  /** The clinic's language: ISO 639-1, optionally with a region ("en", "en-GB"). */
  language: string;
  /** The voice agent's provider voice id; Azure's start with the locale ("en-GB-SoniaNeural"). */
  voiceId: string | null;
  afterHours: "take_message" | "transfer" | "book_only";
  escalationPhone: string | null;
}

/** Dial the clinic's person only when it asked for transfers and said where to. */
export const fallbackPlan = (s: FallbackSettings): "dial" | "voicemail" =>
  s.afterHours === "transfer" && s.escalationPhone ? "dial" : "voicemail";

type Lines = {
  connecting: (clinic: string) => string;
  voicemail: (clinic: string) => string;
  noMessage: string;
  thanks: string;
  sorry: string;
  notInService: string;
};

const LINES: Record<string, Lines> = {
  en: {
    connecting: (c) => `Thank you for calling ${c}. Please hold while we connect you.`,
    voicemail: (c) =>
      `Thank you for calling ${c}. We can't take your call right now. Please leave your name, number and a short message after the tone, and we will call you back.`,
    noMessage: "We did not get a message. Please call again later. Goodbye.",
    thanks: "Thank you, we have your message and will call you back. Goodbye.",
    sorry:
      "Sorry, we are having trouble answering right now. Please leave your name, number and a short message after the tone, and we will call you back.",
    notInService: "Sorry, this number is not in service. Please check the number and try again.",
  },
  ru: {
    connecting: (c) =>
      `Спасибо за звонок в ${c}. Пожалуйста, оставайтесь на линии, мы вас соединяем.`,
    voicemail: (c) =>
      `Спасибо за звонок в ${c}. Сейчас мы не можем ответить. Пожалуйста, после сигнала назовите своё имя, номер телефона и коротко опишите вопрос, и мы вам перезвоним.`,
    noMessage: "Мы не получили сообщения. Пожалуйста, позвоните позже. До свидания.",
    thanks: "Спасибо, мы получили ваше сообщение и перезвоним вам. До свидания.",
    sorry:
      "Извините, сейчас мы не можем ответить. Пожалуйста, после сигнала назовите своё имя, номер телефона и коротко опишите вопрос, и мы вам перезвоним.",
    notInService: "Извините, этот номер не обслуживается. Пожалуйста, проверьте номер.",
  },
  lv: {
    connecting: (c) => `Paldies, ka zvanāt uz ${c}. Lūdzu, uzgaidiet, mēs jūs savienojam.`,
    voicemail: (c) =>
      `Paldies, ka zvanāt uz ${c}. Pašlaik nevaram atbildēt. Lūdzu, pēc signāla atstājiet savu vārdu, tālruņa numuru un īsu ziņu, un mēs jums atzvanīsim.`,
    noMessage: "Mēs nesaņēmām ziņu. Lūdzu, zvaniet vēlāk. Uz redzēšanos.",
    thanks: "Paldies, mēs saņēmām jūsu ziņu un atzvanīsim. Uz redzēšanos.",
    sorry:
      "Atvainojiet, pašlaik nevaram atbildēt. Lūdzu, pēc signāla atstājiet savu vārdu, tālruņa numuru un īsu ziņu, un mēs jums atzvanīsim.",
    notInService: "Atvainojiet, šis numurs netiek apkalpots. Lūdzu, pārbaudiet numuru.",
  },
  de: {
    connecting: (c) => `Danke für Ihren Anruf bei ${c}. Bitte bleiben Sie dran, wir verbinden Sie.`,
    voicemail: (c) =>
      `Danke für Ihren Anruf bei ${c}. Wir können gerade nicht rangehen. Bitte hinterlassen Sie nach dem Ton Ihren Namen, Ihre Nummer und eine kurze Nachricht, wir rufen Sie zurück.`,
    noMessage:
      "Wir haben keine Nachricht erhalten. Bitte rufen Sie später wieder an. Auf Wiederhören.",
    thanks: "Danke, wir haben Ihre Nachricht und rufen Sie zurück. Auf Wiederhören.",
    sorry:
      "Entschuldigung, wir können gerade nicht rangehen. Bitte hinterlassen Sie nach dem Ton Ihren Namen, Ihre Nummer und eine kurze Nachricht, wir rufen Sie zurück.",
    notInService: "Entschuldigung, diese Nummer ist nicht vergeben. Bitte prüfen Sie die Nummer.",
  },
  es: {
    connecting: (c) => `Gracias por llamar a ${c}. Espere un momento, le pasamos la llamada.`,
    voicemail: (c) =>
      `Gracias por llamar a ${c}. Ahora no podemos atenderle. Deje su nombre, su número y un breve mensaje después de la señal y le devolveremos la llamada.`,
    noMessage: "No hemos recibido ningún mensaje. Llame más tarde, por favor. Adiós.",
    thanks: "Gracias, hemos recibido su mensaje y le llamaremos. Adiós.",
    sorry:
      "Lo sentimos, ahora no podemos atenderle. Deje su nombre, su número y un breve mensaje después de la señal y le devolveremos la llamada.",
    notInService: "Lo sentimos, este número no está en servicio. Compruebe el número, por favor.",
  },
  fr: {
    connecting: (c) => `Merci d'appeler ${c}. Veuillez patienter, nous vous mettons en relation.`,
    voicemail: (c) =>
      `Merci d'appeler ${c}. Nous ne pouvons pas répondre pour le moment. Laissez votre nom, votre numéro et un court message après le bip, nous vous rappellerons.`,
    noMessage: "Nous n'avons pas reçu de message. Merci de rappeler plus tard. Au revoir.",
    thanks: "Merci, nous avons votre message et vous rappellerons. Au revoir.",
    sorry:
      "Désolé, nous ne pouvons pas répondre pour le moment. Laissez votre nom, votre numéro et un court message après le bip, nous vous rappellerons.",
    notInService: "Désolé, ce numéro n'est pas en service. Veuillez vérifier le numéro.",
  },
};

/** A language's usual locale where the clinic gives none. */
const LOCALES: Record<string, string> = {
  en: "en-GB",
  ru: "ru-RU",
  lv: "lv-LV",
  de: "de-DE",
  es: "es-ES",
  fr: "fr-FR",
};

/** The `<Say>` attributes and lines for the clinic's language; English when we have no lines. */
export function speech(language: string, voiceId: string | null = null) {
  const base = language.toLowerCase().split("-")[0];
  const lang = LINES[base] ? base : "en";
  const fromVoice = voiceId?.match(/^([a-z]{2})-([A-Z]{2})-/);
  const locale = fromVoice && fromVoice[1] === lang
    ? `${fromVoice[1]}-${fromVoice[2]}`
    : /^[a-z]{2}-[A-Z]{2}$/.test(language) && base === lang
    ? language
    : LOCALES[lang];
  // Google's standard voices exist for each of these locales (twilio.com/docs/voice/twiml/say/text-speech).
  return { lines: LINES[lang], say: { language: locale, voice: `Google.${locale}-Standard-A` } };
}

export interface CallbackUrls {
  dial: string;
  /** The `<Record>` action and recording status callback (carries `to`/`from`). */
  recording: string;
}

const RECORD = { maxLength: 120, timeout: 5, playBeep: true, finishOnKey: "#" } as const;

function recordVoicemail(twiml: VoiceResponse, urls: CallbackUrls, lines: Lines, say: object) {
  return twiml
    .record({
      ...RECORD,
      action: urls.recording,
      recordingStatusCallback: urls.recording,
      recordingStatusCallbackEvent: "completed",
    })
    // Only reached when nothing was recorded (Twilio skips the action then).
    .say(lines.noMessage, say)
    .hangup();
}

/** The fallback's answer: greet, then dial the clinic's person or take a voicemail. */
export function fallbackTwiml(settings: FallbackSettings, urls: CallbackUrls): VoiceResponse {
  const { lines, say } = speech(settings.language, settings.voiceId);
  const twiml = new VoiceResponse();
  if (fallbackPlan(settings) === "dial") {
    return twiml
      .say(lines.connecting(settings.clinicName), say)
      .dial(settings.escalationPhone!, { action: urls.dial, timeout: 25, answerOnBridge: true });
  }
  return recordVoicemail(twiml.say(lines.voicemail(settings.clinicName), say), urls, lines, say);
}

/** After the fallback's `<Dial>`: done when someone answered, else a voicemail. */
export function afterDialTwiml(
  dialStatus: string | null,
  settings: FallbackSettings,
  urls: CallbackUrls,
): VoiceResponse {
  if (dialConnected(dialStatus)) return new VoiceResponse().hangup();
  const { lines, say } = speech(settings.language, settings.voiceId);
  return recordVoicemail(
    new VoiceResponse().say(lines.voicemail(settings.clinicName), say),
    urls,
    lines,
    say,
  );
}

export const dialConnected = (dialStatus: string | null) =>
  dialStatus === "completed" || dialStatus === "answered";

/** After a voicemail was recorded (the `<Record>` action). */
export function thanksTwiml(language: string, voiceId: string | null): VoiceResponse {
  const { lines, say } = speech(language, voiceId);
  return new VoiceResponse().say(lines.thanks, say).hangup();
}

/** When something of ours failed: apologise and still take a message (never silence). */
export function sorryTwiml(urls: CallbackUrls, language = "en"): VoiceResponse {
  const { lines, say } = speech(language);
  return recordVoicemail(new VoiceResponse().say(lines.sorry, say), urls, lines, say);
}

/** A call to a number no clinic (or no longer a clinic) answers. */
export function notInServiceTwiml(): VoiceResponse {
  const { lines, say } = speech("en");
  return new VoiceResponse().say(lines.notInService, say).hangup();
}

export type CallStatus = "ringing" | "in_progress" | "ended";

/** Twilio's CallStatus → our lifecycle; unknown values are not a status we store. */
export function callStatusOf(twilioStatus: string | null): CallStatus | null {
  switch (twilioStatus) {
    case "queued":
    case "initiated":
    case "ringing":
      return "ringing";
    case "in-progress":
    case "answered":
      return "in_progress";
    case "completed":
    case "busy":
    case "failed":
    case "no-answer":
    case "canceled":
      return "ended";
    default:
      return null;
  }
}
