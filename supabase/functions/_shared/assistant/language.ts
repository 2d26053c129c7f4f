// The patient's language, from the script and letters of what they wrote, among the languages
// the organisation offers: Cyrillic is Ukrainian when it has Ukrainian-only letters, else
// Russian; Latin letters with a language's own diacritics are that language; other Latin text
// is the remembered language when that is written in Latin, else English. Text without letters
// (emoji, digits) keeps the remembered language. Whatever is found must be offered by the
// organisation; otherwise its default language.

export type LanguageContext = {
  /** The organisation's languages and default. */
  offered: readonly string[];
  defaultLanguage: string;
  /** The language last detected on this conversation, if any. */
  remembered?: string | null;
};

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;
const UKRAINIAN_ONLY = /[іїєґ]/iu;
const CYRILLIC_LANGUAGES = new Set(["ru", "uk", "be", "bg", "sr", "mk"]);

// Letters only these languages (of those the prompt builder names) write; checked in order.
const LATIN_MARKS: readonly [string, RegExp][] = [
  ["lv", /[āēīūģķļņ]/iu],
  ["lt", /[ąčęėįšųūž]/iu],
  ["pl", /[ąćęłńśźż]/iu],
  ["et", /[õ]/iu],
  ["de", /[äöüß]/iu],
  ["es", /[ñ¿¡]/iu],
  ["fr", /[àâçèéêëîïôûœ]/iu],
];

const base = (language: string) => language.split("-")[0].toLowerCase();

/** The offered language code matching this base language, if any. */
function offeredAs(language: string, offered: readonly string[]): string | null {
  return offered.find((l) => l === language) ?? offered.find((l) => base(l) === language) ?? null;
}

export function detectLanguage(text: string, ctx: LanguageContext): string {
  const remembered = ctx.remembered && offeredAs(base(ctx.remembered), ctx.offered);
  const fallback = remembered || ctx.defaultLanguage;
  const cyrillic = countMatches(text, CYRILLIC);
  const latin = countMatches(text, LATIN);
  if (cyrillic === 0 && latin === 0) return fallback;
  if (cyrillic > latin) {
    const guess = UKRAINIAN_ONLY.test(text) ? "uk" : "ru";
    return offeredAs(guess, ctx.offered) ?? offeredAs("ru", ctx.offered) ??
      (remembered && CYRILLIC_LANGUAGES.has(base(remembered)) ? remembered : ctx.defaultLanguage);
  }
  for (const [language, marks] of LATIN_MARKS) {
    if (marks.test(text)) {
      const found = offeredAs(language, ctx.offered);
      if (found) return found;
    }
  }
  if (remembered && !CYRILLIC_LANGUAGES.has(base(remembered))) return remembered;
  return offeredAs("en", ctx.offered) ??
    ctx.offered.find((l) => !CYRILLIC_LANGUAGES.has(base(l))) ?? ctx.defaultLanguage;
}

function countMatches(text: string, letter: RegExp): number {
  let n = 0;
  for (const ch of text) if (letter.test(ch)) n++;
  return n;
}
