// Every job kind the worker runs, by name (private.jobs.kind). A job whose kind is missing
// here is dead at once: no later attempt could know it either.
import type { JobHandler } from "./types.ts";
import { pushAppointment } from "../google/push.ts";
import { pullCalendar, watchCalendar } from "../google/pull.ts";

export const handlers: Record<string, JobHandler> = {
  "google.push_appointment": pushAppointment,
  "google.pull_calendar": pullCalendar,
  "google.watch_calendar": watchCalendar,
};
