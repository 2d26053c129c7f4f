// Bursts: patients often send a thought in several short messages. The reply waits until the
// newest one is BURST_WINDOW_MS old, then answers every patient message since the last message
// the clinic sent (bot or staff) in one reply. When nothing is left unanswered — the reply was
// already queued by an earlier run of the job — there is nothing to do.

export const BURST_WINDOW_MS = 2000;

export type ThreadMessage = {
  direction: "inbound" | "outbound";
  author: "patient" | "bot" | "staff";
  kind: string;
  body: string | null;
  createdAt: number;
};

/** Until when to wait for more messages of the burst (epoch ms), or null to answer now. */
export function burstWaitUntil(newestInboundAt: number, now: number): number | null {
  const until = newestInboundAt + BURST_WINDOW_MS;
  return until > now ? until : null;
}

/** The patient's messages after the clinic's last one (thread oldest first), oldest first. */
export function unanswered<M extends ThreadMessage>(thread: readonly M[]): M[] {
  let start = 0;
  for (let i = thread.length - 1; i >= 0; i--) {
    if (thread[i].direction === "outbound") {
      start = i + 1;
      break;
    }
  }
  return thread.slice(start).filter((m) => m.direction === "inbound" && m.author === "patient");
}

/** The text a burst says: the bodies of its messages, one per line. */
export function burstText(messages: readonly ThreadMessage[]): string {
  return messages.map((m) => (m.body ?? "").trim()).filter((b) => b !== "").join("\n");
}

/** Kinds the assistant reads; the others (media without caption, stickers …) it cannot. */
const READABLE = new Set(["text", "interactive", "button"]);

/** Whether the assistant can read the message: text, a choice, or media with a caption. */
export function readable(message: ThreadMessage): boolean {
  return READABLE.has(message.kind) || (message.body ?? "").trim() !== "";
}

/** Reactions are stored and shown but never answered. */
export function answerable(message: ThreadMessage): boolean {
  return message.kind !== "reaction";
}
