// What the booking operations hand to their callers — an AI on a call or in a chat, or the
// dashboard: slot ids it can pass back unchanged, and times in the clinic's own zone as people
// say them ("Tuesday 8 December, 10:30") beside the exact instant with its offset. Pure.

import { localDateTimeOf } from "./opening_hours.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a slot id stands for: a service at an instant, with one practitioner or anyone free. */
export interface SlotRef {
  serviceId: string;
  start: number; // epoch ms
  practitionerId: string | null;
}

/** An opaque, URL-safe id for a slot (base64url of "service|start|practitioner"). */
export function encodeSlotId(slot: SlotRef): string {
  const text = `${slot.serviceId}|${slot.start}|${slot.practitionerId ?? ""}`;
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The slot a slot id stands for, or null when the text is not one this module made. */
export function decodeSlotId(slotId: string): SlotRef | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(slotId)) return null;
  let text: string;
  try {
    text = atob(slotId.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return null;
  }
  const [serviceId, start, practitionerId, ...rest] = text.split("|");
  if (rest.length > 0 || practitionerId === undefined) return null;
  if (!UUID.test(serviceId) || !/^\d{1,15}$/.test(start)) return null;
  if (practitionerId !== "" && !UUID.test(practitionerId)) return null;
  return { serviceId, start: Number(start), practitionerId: practitionerId || null };
}

const labelFormats = new Map<string, Intl.DateTimeFormat>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, ...options });
    cache.set(timeZone, format);
  }
  return format;
}

/** "Tuesday 8 December, 10:30": an instant as the clinic's wall clock and calendar show it. */
export function timeLabel(timeZone: string, epochMs: number): string {
  const parts = cached(labelFormats, timeZone, { weekday: "long", day: "numeric", month: "long" })
    .formatToParts(epochMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value;
  const { time } = localDateTimeOf(timeZone, new Date(epochMs));
  return `${part("weekday")} ${part("day")} ${part("month")}, ${time}`;
}

/** "2026-12-08T10:30:00+00:00": ISO 8601 in the clinic's zone, its offset written out. */
export function isoInZone(timeZone: string, epochMs: number): string {
  const { date, time } = localDateTimeOf(timeZone, new Date(epochMs));
  const name = cached(offsetFormats, timeZone, { timeZoneName: "longOffset" })
    .formatToParts(epochMs).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  // "GMT" alone is UTC itself; otherwise "GMT+05:30".
  const offset = name === "GMT" ? "+00:00" : name.slice(3);
  const seconds = String(new Date(epochMs).getUTCSeconds()).padStart(2, "0");
  return `${date}T${time}:${seconds}${offset}`;
}

/** The answer when a time cannot be booked: why, and what else there is. */
export function takenMessage(reason: string, alternatives: readonly { label: string }[]): string {
  const why = reason.replace(/\.?$/, ".");
  if (alternatives.length === 0) return `${why} There is no other free time soon.`;
  // Semicolons: each label has a comma of its own.
  return `${why} The next free times are ${alternatives.map((a) => a.label).join("; ")}.`;
}
