// The fixed texts the assistant sends when it does not write an answer itself, per language:
// the polite fallback when it cannot answer (never silence, never a raw error), the note when a
// conversation is handed to staff, and the answer to a message it cannot read. A language
// without its own text gets the English one.

/** Text per language code; `en` is always there. */
export type Texts = Readonly<Record<string, string>> & { en: string };

/** The text in this language ("ru-RU" → "ru"), else English. */
export function textFor(texts: Texts, language: string): string {
  const base = language.split("-")[0].toLowerCase();
  return texts[language] ?? texts[base] ?? texts.en;
}

export const FALLBACK: Texts = {
  en: "Sorry, I can't answer right now. A member of our team will reply to you here soon.",
  ru: "Извините, сейчас я не могу ответить. Скоро вам здесь ответит наш сотрудник.",
  uk: "Вибачте, зараз я не можу відповісти. Незабаром вам тут відповість наш співробітник.",
  de:
    "Entschuldigung, ich kann gerade nicht antworten. Ein Mitglied unseres Teams antwortet Ihnen hier bald.",
  lv: "Atvainojiet, pašlaik nevaru atbildēt. Drīzumā jums šeit atbildēs mūsu darbinieks.",
};

export const HANDED_OVER: Texts = {
  en: "I have passed your message to our team; a member of staff will reply to you here.",
  ru: "Я передал ваше сообщение нашим сотрудникам; вам ответят здесь.",
  uk: "Я передав ваше повідомлення нашим співробітникам; вам відповідять тут.",
  de: "Ich habe Ihre Nachricht an unser Team weitergegeben; ein Mitarbeiter antwortet Ihnen hier.",
  lv: "Es nodevu jūsu ziņu mūsu komandai; darbinieks jums atbildēs šeit.",
};

export const TEXT_ONLY: Texts = {
  en: "Sorry, I can only read text messages. Please write your question in a message.",
  ru: "Извините, я понимаю только текстовые сообщения. Пожалуйста, напишите ваш вопрос текстом.",
  uk: "Вибачте, я розумію лише текстові повідомлення. Будь ласка, напишіть ваше запитання текстом.",
  de:
    "Entschuldigung, ich kann nur Textnachrichten lesen. Bitte schreiben Sie Ihre Frage als Text.",
  lv: "Atvainojiet, es varu lasīt tikai teksta ziņas. Lūdzu, uzrakstiet savu jautājumu tekstā.",
};
