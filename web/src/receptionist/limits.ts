// The longest texts the database accepts (20261201140000_configuration_completeness.sql and the
// tables' checks), so each field stops there and says so rather than failing on save.

/** The assistant's name. */
export const ASSISTANT_NAME = 60;
/** A greeting, per language: spoken before the caller says a word. */
export const GREETING = 500;
export const EXTRA_INSTRUCTIONS = 4000;
export const INTENT_NAME = 80;
export const EXAMPLE_PHRASE = 300;
/** The database keeps at most this many example phrases per intent. */
export const EXAMPLE_PHRASES = 50;
/** An intent's response, per language. */
export const RESPONSE = 1000;
export const FAQ_QUESTION = 500;
/** An FAQ answer or canned reply: read out on the phone, sent as one WhatsApp message. */
export const FAQ_ANSWER = 1000;
export const FAQ_CATEGORY = 60;
export const CLOSURE_REASON = 200;
export const SERVICE_NAME = 80;
