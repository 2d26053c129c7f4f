// Words of patients' messages as the pure steps compare them: lower case, ё as е, letters and
// digits only (any script), so punctuation, emoji and spacing never decide a match.

/** The message's words, in order. */
export function wordsOf(text: string): string[] {
  return text.normalize("NFC").toLowerCase().replaceAll("ё", "е")
    .split(/[^\p{L}\p{N}]+/u).filter((w) => w !== "");
}
