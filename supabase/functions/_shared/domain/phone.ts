// Phone numbers as providers send them ("whatsapp:+44 20…", "0044…") to E.164, the form
// the database stores (the same rules as private.normalise_e164).
export function toE164(input: string): string | null {
  const cleaned = input.trim().replace(/^whatsapp:/i, "").replace(/[\s().-]/g, "");
  const plus = cleaned.startsWith("00") ? `+${cleaned.slice(2)}` : cleaned;
  return /^\+[1-9][0-9]{6,14}$/.test(plus) ? plus : null;
}
