// Status webhooks for messages our side sent (PROVIDERS §4.5): one delivery per status, posted
// in the order given (control may give them out of order), signed with the number's app secret.
import type { SandboxContext } from "./context.ts";
import { statusError } from "./errors.ts";
import type { SentMessage, StatusName } from "./store.ts";
import { deliver, envelope } from "./webhook.ts";

export interface StatusToPost {
  status: StatusName;
  /** For `failed`: the Graph error code its `errors` carry (default 131000). */
  errorCode?: number;
}

/** The status object Meta posts. */
export function statusObject(message: SentMessage, s: StatusToPost, at: number) {
  return {
    id: message.id,
    status: s.status,
    timestamp: String(Math.floor(at / 1000)),
    recipient_id: message.to,
    ...(s.status === "failed" ? { errors: [statusError(s.errorCode ?? 131000)] } : {
      pricing: {
        billable: message.type === "template",
        pricing_model: "PMP",
        category: message.type === "template" ? "utility" : "service",
        type: message.type === "template" ? "regular" : "free_customer_service",
      },
    }),
  };
}

/** Posts the statuses one by one (`delayMs` before each); what our side answered each. */
export async function postStatuses(
  ctx: SandboxContext,
  wamid: string,
  statuses: StatusToPost[],
  delayMs = ctx.settings.statusDelayMs,
): Promise<number[]> {
  const message = ctx.store.outbox.find((m) => m.id === wamid);
  if (!message) return [];
  const number = ctx.store.numbers.get(message.phoneNumberId);
  if (!number) return [];
  const answers: number[] = [];
  for (const s of statuses) {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const at = ctx.store.now();
    const httpStatus = await deliver(
      ctx.fetch,
      ctx.store.appFor(number.id),
      envelope(number, { statuses: [statusObject(message, s, at)] }),
    );
    message.statuses.push({
      status: s.status,
      at,
      httpStatus,
      ...(s.status === "failed" ? { errorCode: s.errorCode ?? 131000 } : {}),
    });
    ctx.store.changed();
    answers.push(httpStatus);
  }
  return answers;
}
