import { credentialKindLabel } from "../../credentials/credentials.ts";

/** The filters offered: an action prefix each ("" for everything). */
export const ACTION_FILTERS = [
  { value: "", label: "All actions" },
  { value: "credential.", label: "Credentials" },
  { value: "twilio_account.", label: "Twilio accounts" },
  { value: "phone_number.", label: "Phone numbers" },
  { value: "whatsapp_channel.", label: "WhatsApp" },
  { value: "calendar_connection.", label: "Google Calendar" },
];

const VERBS: Record<string, string> = {
  set: "set",
  rotated: "rotated",
  cleared: "removed",
  decrypted: "used by the system",
  created: "added",
  updated: "changed",
  deleted: "removed",
};

const TARGET_TYPES: Record<string, string> = {
  twilio_account: "Twilio account",
  phone_number: "Phone number",
  whatsapp_channel: "WhatsApp number",
  calendar_connection: "Google Calendar",
};

/** "WhatsApp access token set", "Phone number added": an audit action in words. */
export function describeAction(action: string, targetType: string): string {
  const [subject, verb] = action.split(".");
  const what = subject === "credential"
    ? credentialKindLabel(targetType)
    : TARGET_TYPES[subject] ?? subject;
  return `${what} ${VERBS[verb] ?? verb}`;
}

/** The name a channel row's audit details carry (its label, number or id), if any. */
export function nameFromDetails(details: Record<string, unknown>): string | null {
  for (const key of ["e164", "twilio_sender", "display_phone_number", "meta_phone_number_id"]) {
    const value = details[key];
    if (typeof value === "string" && value) {
      return typeof details.label === "string" && details.label
        ? `${value} (${details.label})`
        : value;
    }
  }
  for (const key of ["label", "account_sid", "account_email"]) {
    const value = details[key];
    if (typeof value === "string" && value) return value;
  }
  return null;
}

/**
 * "active: false, label: Front desk": an entry's details on one line, with the ids of channels
 * still there replaced by their names.
 */
export function describeDetails(
  details: Record<string, unknown>,
  names: Map<string, string>,
): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== "")
    .map(([key, value]) => {
      const name = typeof value === "string" ? names.get(value) : undefined;
      const shown = name ?? (typeof value === "string" ? value : JSON.stringify(value));
      return `${(name ? key.replace(/_id$/, "") : key).replaceAll("_", " ")}: ${shown}`;
    })
    .join(", ");
}
