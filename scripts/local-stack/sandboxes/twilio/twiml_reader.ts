// Reads the TwiML documents webhooks answer with: the verbs of <Response> in order, with their
// attributes and text (<Dial>'s <Number>). Enough XML for what apps send: elements, attributes in
// double or single quotes, the five entities and numeric references, comments, a declaration.
// Anything else is not TwiML (Twilio's error 12100, "Document parse failure").

export interface Verb {
  name: string;
  attributes: Record<string, string>;
  /** Text inside (Say, Redirect) or of the first child (Dial → Number). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    const value = ENTITIES[ref];
    if (value === undefined) throw new Error(`unknown entity ${whole}`);
    return value;
  });
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const rest = text.replace(
    /\s*([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g,
    (_, name, __, d, s) => {
      attributes[name] = unescape(d ?? s);
      return "";
    },
  );
  if (rest.trim()) throw new Error(`bad attributes: ${rest.trim().slice(0, 40)}`);
  return attributes;
}

/** The verbs, or an error message when the document is not TwiML. */
export function readTwiml(document: string): Verb[] | string {
  try {
    const body = document.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>)?\s*/, "").replace(
      /<!--[\s\S]*?-->/g,
      "",
    );
    const root = body.match(/^<Response(\s[^>]*)?(\/>|>([\s\S]*)<\/Response>)\s*$/);
    if (!root) return "the document is not a <Response>";
    const inner = root[3] ?? "";
    const verbs: Verb[] = [];
    const element = /\s*<([A-Z][A-Za-z]*)((?:\s+[^>]*?)?)\s*(\/>|>([\s\S]*?)<\/\1>)\s*/y;
    let at = 0;
    while (at < inner.length) {
      element.lastIndex = at;
      const m = element.exec(inner);
      if (!m) {
        if (!inner.slice(at).trim()) break;
        return `unexpected content: ${inner.slice(at, at + 40).trim()}`;
      }
      at = element.lastIndex;
      const content = m[4] ?? "";
      const child = content.match(/^\s*<([A-Z][A-Za-z]*)[^>]*>([\s\S]*?)<\/\1>\s*$/);
      verbs.push({
        name: m[1],
        attributes: attributesOf(m[2]),
        text: unescape(child ? child[2] : content).trim(),
      });
    }
    return verbs;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
