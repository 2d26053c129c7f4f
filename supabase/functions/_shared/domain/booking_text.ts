// What the booking operations hand to their callers — an AI on a call or in a chat, or the
// dashboard: slot ids it can pass back unchanged, and times in the clinic's own zone as people
// say them ("Tuesday 8 December, 10:30") beside the exact instant with its offset. Pure.

import { wallClockMs } from "./opening_hours.ts";

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

// Names as en-GB writes them. An availability answer labels and writes out up to 200 slots:
// one wall-clock read (one formatToParts) per slot for both keeps that near a millisecond.
export const WEEKDAYS = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
export const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

// The last wall-clock read: a slot or an appointment's start is written out and labelled in turn.
let lastRead = { timeZone: "", epochMs: NaN, wall: NaN };

function wallClock(timeZone: string, epochMs: number): number {
  if (lastRead.epochMs !== epochMs || lastRead.timeZone !== timeZone) {
    lastRead = { timeZone, epochMs, wall: wallClockMs(timeZone, epochMs) };
  }
  return lastRead.wall;
}

/** "Tuesday 8 December, 10:30": an instant as the clinic's wall clock and calendar show it. */
export function timeLabel(timeZone: string, epochMs: number): string {
  const wall = new Date(wallClock(timeZone, epochMs));
  const [weekday, month] = [WEEKDAYS[wall.getUTCDay()], MONTHS[wall.getUTCMonth()]];
  return `${weekday} ${wall.getUTCDate()} ${month}, ${wall.toISOString().slice(11, 16)}`;
}

/** "2026-12-08T10:30:00+00:00": ISO 8601 in the clinic's zone, its offset written out. */
export function isoInZone(timeZone: string, epochMs: number): string {
  const wall = wallClock(timeZone, epochMs);
  const local = new Date(wall).toISOString();
  // The offset as Intl's longOffset writes it ("+05:30"; seconds only for old local mean times).
  const offset = Math.round((wall - epochMs) / 1000);
  const hhmmss = new Date(Math.abs(offset) * 1000).toISOString().slice(11, 19);
  const written = `${offset < 0 ? "-" : "+"}${offset % 60 === 0 ? hhmmss.slice(0, 5) : hhmmss}`;
  const seconds = String(new Date(epochMs).getUTCSeconds()).padStart(2, "0");
  return `${local.slice(0, 16)}:${seconds}${written}`;
}

/** The answer when a time cannot be booked: why, and what else there is. */
export function takenMessage(reason: string, alternatives: readonly { label: string }[]): string {
  const why = reason.replace(/\.?$/, ".");
  if (alternatives.length === 0) return `${why} There is no other free time soon.`;
  // Semicolons: each label has a comma of its own.
  return `${why} The next free times are ${alternatives.map((a) => a.label).join("; ")}.`;
}
