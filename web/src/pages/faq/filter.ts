import type { FaqRow } from "../../receptionist/rows.ts";

export type FaqFilter = {
  /** Words that must all appear in the question, answer or category (any case). */
  search: string;
  /** "" for any. */
  category: string;
  language: string;
  kind: string;
};

export function filterFaq(entries: readonly FaqRow[], filter: FaqFilter): FaqRow[] {
  const words = filter.search.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((entry) => {
    if (filter.category && entry.category !== filter.category) return false;
    if (filter.language && entry.language !== filter.language) return false;
    if (filter.kind && entry.kind !== filter.kind) return false;
    const text = `${entry.question}\n${entry.answer}\n${entry.category}`.toLocaleLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** By category, then question: how a person scans the list. */
export function sortFaq(entries: readonly FaqRow[]): FaqRow[] {
  return [...entries].sort((a, b) =>
    a.category.localeCompare(b.category) || a.question.localeCompare(b.question) ||
    a.language.localeCompare(b.language) || a.id.localeCompare(b.id)
  );
}

/** The categories in use, sorted, for the filter and the editor's suggestions. */
export function categoriesOf(entries: readonly FaqRow[]): string[] {
  return [...new Set(entries.map((e) => e.category))].sort((a, b) => a.localeCompare(b));
}
