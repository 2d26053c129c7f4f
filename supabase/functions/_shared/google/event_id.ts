// The Google event id of an appointment, derived from its id so that pushing it again is
// idempotent: a retried insert meets its own event (409) instead of making a second one.
// Google accepts ids of base32hex characters (lowercase a–v and 0–9, 5–1024 long); the 16 bytes
// of a uuid make 26 such characters, the last one carrying 3 bits and 2 zero bits.

const ALPHABET = "0123456789abcdefghijklmnopqrstuv";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_ID = /^[0-9a-v]{25}[048cgkos]$/;

/** The Google event id of the appointment with this uuid. */
export function eventIdFor(appointmentId: string): string {
  if (!UUID.test(appointmentId)) throw new Error(`Not an appointment id: ${appointmentId}`);
  const hex = appointmentId.replaceAll("-", "").toLowerCase();
  let id = "";
  let bits = 0;
  let buffer = 0;
  for (let i = 0; i < hex.length; i += 2) {
    buffer = (buffer << 8) | parseInt(hex.slice(i, i + 2), 16);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      id += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return id + ALPHABET[(buffer << (5 - bits)) & 31];
}

/** The appointment id an event id was derived from; null for any other event id. */
export function appointmentIdFromEventId(eventId: string): string | null {
  if (!EVENT_ID.test(eventId)) return null;
  let hex = "";
  let bits = 0;
  let buffer = 0;
  for (const char of eventId) {
    buffer = (buffer << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      hex += ((buffer >> bits) & 255).toString(16).padStart(2, "0");
      buffer &= (1 << bits) - 1;
    }
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
