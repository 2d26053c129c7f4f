import type { Channels } from "../channels/use_channels.ts";
import { phoneNumberStatus, whatsappStatus } from "../channels/status.ts";

/** One thing a clinic needs before its receptionist can work, done or not, and where to do it. */
export type ChecklistItem = { label: string; done: boolean; todo: string; href: string };

export type SetupFacts = {
  workingHours: number;
  /** Active services: only those can be booked. */
  activeServices: number;
  channels: Channels;
};

/** What a new clinic still has to set up, from its data, in the order it is best done. */
export function setupChecklist({ workingHours, activeServices, channels }: SetupFacts) {
  const number = channels.phoneNumbers.some((n) => phoneNumberStatus(n, channels).ready);
  const whatsapp = channels.whatsappChannels.some((w) => whatsappStatus(w, channels).ready);
  const calendar = channels.calendar?.status === "active";
  const items: ChecklistItem[] = [
    {
      label: "Opening hours",
      done: workingHours > 0,
      todo: "Add the clinic's opening hours",
      href: "#/assistant/hours",
    },
    {
      label: "Services",
      done: activeServices > 0,
      todo: "Add the services patients can book",
      href: "#/assistant/services",
    },
    {
      label: "A phone number",
      done: number,
      todo: "Connect a phone number that answers calls or SMS",
      href: "#/channels/phone-numbers",
    },
    {
      label: "WhatsApp",
      done: whatsapp,
      todo: "Connect a WhatsApp number with its access token",
      href: "#/channels/whatsapp",
    },
    {
      label: "Calendar",
      done: calendar,
      todo: channels.calendar?.status === "needs_reauth"
        ? "Reconnect the calendar: its access has lapsed"
        : "Connect the calendar bookings go into",
      href: "#/channels/calendar",
    },
  ];
  return items;
}
