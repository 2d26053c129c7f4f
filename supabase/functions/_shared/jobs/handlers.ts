// Every job kind the worker runs, by name (private.jobs.kind). The worker claims only these
// kinds: a job of any other kind waits for a deployment that knows it.
import type { JobHandler } from "./types.ts";
import { pushAppointment } from "../google/push.ts";
import { pullCalendar, watchCalendar } from "../google/pull.ts";
import { pruneJobs } from "./prune.ts";
import { connectNumber, disconnectNumber } from "./vapi_numbers.ts";
import { ingestMessages } from "../messaging/process.ts";
import { sendMessage } from "../messaging/send.ts";
import { replyToConversation } from "../assistant/reply.ts";

export const handlers: Record<string, JobHandler> = {
  "google.push_appointment": pushAppointment,
  "google.pull_calendar": pullCalendar,
  "google.watch_calendar": watchCalendar,
  "jobs.prune": pruneJobs,
  "messaging.ingest": ingestMessages,
  "messaging.reply": replyToConversation,
  "messaging.send": sendMessage,
  "vapi.connect_number": connectNumber,
  "vapi.disconnect_number": disconnectNumber,
};
