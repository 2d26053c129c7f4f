// How GoTrue's Go code formats and parses values, where JavaScript differs.

/**
 * Converts PostgreSQL's text form of a timestamp ("2024-05-01 10:00:00.1234+00",
 * the session runs with TimeZone=UTC) into Go's RFC3339Nano encoding as GoTrue
 * emits it ("2024-05-01T10:00:00.1234Z").
 */
export function goTime(pg: string | null | undefined): string | undefined {
  if (!pg) return undefined;
  const m = /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
    pg,
  );
  if (!m) return pg;
  let frac = (m[3] ?? "").replace(/0+$/, "");
  if (frac === ".") frac = "";
  let zone = m[4] ?? "Z";
  if (zone === "+00" || zone === "+00:00" || zone === "+0000") zone = "Z";
  else if (/^[+-]\d{2}$/.test(zone)) zone += ":00";
  return `${m[1]}T${m[2]}${frac}${zone}`;
}

/** Milliseconds since epoch of a PostgreSQL timestamptz text (TimeZone=UTC). */
export function pgMs(ts: string | null): number | null {
  if (!ts) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(ts);
  if (!m) return null;
  const frac = (m[3] ?? ".0").slice(0, 4).padEnd(4, "0");
  return Date.parse(`${m[1]}T${m[2]}${frac}Z`);
}

/** Go's encoding/json writes map keys sorted; metadata maps are Go maps in GoTrue. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      out[k] = sortKeysDeep((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}

/** Byte length, as Go's len() on a string. */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Parses a Go time.Duration string ("24h", "1h30m", "500ms") into milliseconds. */
export function parseGoDuration(s: string): number | null {
  if (s === "0") return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let sign = 1;
  let rest = s;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest[0] === "-") sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "") return null;
  const unitMs: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    "µs": 1e-3,
    "μs": 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  let total = 0;
  let pos = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m) return null;
    total += Number(m[1]) * unitMs[m[2]];
    pos = re.lastIndex;
  }
  return sign * total;
}

/** url.QueryEscape (space -> '+'). */
export function goQueryEscape(s: string): string {
  return new URLSearchParams({ x: s }).toString().slice(2);
}

/** url.Values.Encode: keys sorted. */
export function goValuesEncode(values: Record<string, string>): string {
  return Object.keys(values).sort().map((k) => `${goQueryEscape(k)}=${goQueryEscape(values[k])}`)
    .join("&");
}
