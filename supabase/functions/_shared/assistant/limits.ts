// Limits before the assistant spends anything on a reply: the organisation's cap on bot
// messages per hour (assistant_settings.max_messages_per_hour) and a per-sender flood limit.
// Either one hands the conversation to staff with the reason in words.

/** More inbound messages than this from one sender within FLOOD_WINDOW_MS is a flood. */
export const FLOOD_LIMIT = 20;
export const FLOOD_WINDOW_MS = 10 * 60_000;

export type LimitCounts = {
  /** Bot messages the organisation sent in the last hour. */
  botMessagesLastHour: number;
  maxMessagesPerHour: number;
  /** Inbound messages of this conversation within FLOOD_WINDOW_MS. */
  inboundRecently: number;
};

/** Why the assistant must not answer now (the conversation's attention reason), or null. */
export function limitReason(counts: LimitCounts): string | null {
  if (counts.botMessagesLastHour >= counts.maxMessagesPerHour) {
    return `The assistant reached the clinic's limit of ${counts.maxMessagesPerHour} messages ` +
      "an hour; please reply yourself.";
  }
  if (counts.inboundRecently > FLOOD_LIMIT) {
    return `The patient sent more than ${FLOOD_LIMIT} messages in ${FLOOD_WINDOW_MS / 60_000} ` +
      "minutes; the assistant stopped answering them.";
  }
  return null;
}
