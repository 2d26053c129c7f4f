// Clinic-written text on one line, and the one order things are listed in, so the dashboard lists
// them as the prompt does. Code-point order: locale-independent, the same on every machine.

/** Clinic-written text on one line: no forged headings or list items. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Intents by position, then name, then id (a stable order for equal positions). */
export function compareIntents(
  a: { position: number; name: string; id: string },
  b: { position: number; name: string; id: string },
): number {
  return a.position - b.position || compareText(oneLine(a.name), oneLine(b.name)) ||
    compareText(a.id, b.id);
}
