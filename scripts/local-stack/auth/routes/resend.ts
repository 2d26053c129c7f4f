// POST /resend (api.Resend): the signup confirmation or the email change mails
// again. Answers `{}` before looking the address up (see inBackground), so an
// unknown or already confirmed address cannot be told from one that got a mail.

import { createConfirmation, deliverConfirmation } from "../confirmation.ts";
import type { App, RequestCtx } from "../context.ts";
import { requestEmailChange } from "../email_change.ts";
import { badRequest, jsonResponse } from "../errors.ts";
import { takeMailSlot } from "../one_time_tokens.ts";
import { readParams } from "../params.ts";
import { ResendParams } from "../schemas.ts";
import { findUserByEmail } from "../users.ts";
import { inBackground } from "./recover.ts";
import { validateEmail } from "../validation.ts";

export async function resend(app: App, ctx: RequestCtx): Promise<Response> {
  const p = await readParams(ctx.req, ResendParams);
  const type = p.type ?? "";
  if (type === "sms" || type === "phone_change") {
    throw badRequest("phone_provider_disabled", "Phone provider is disabled");
  }
  if (type !== "signup" && type !== "email_change") {
    throw badRequest(
      "validation_failed",
      "Missing one of these types: signup, email_change, sms, phone_change",
    );
  }
  if ((p.phone ?? "") !== "") {
    throw badRequest("validation_failed", "Only an email address is supported for this type");
  }
  const email = validateEmail(p.email ?? "");
  takeMailSlot(app, type === "signup" ? "confirmation" : "resend_email_change", email);
  const req = ctx.req;
  inBackground(ctx, async () => {
    const user = await findUserByEmail(app.db, email);
    if (!user) return;
    if (type === "signup") {
      if (user.email_confirmed_at) return;
      const { mail } = await app.transaction((tx) => createConfirmation(app, tx, req, user));
      await deliverConfirmation(app, mail);
    } else if ((user.email_change ?? "") !== "") {
      await app.transaction((tx) => requestEmailChange(app, tx, req, user.id, user.email_change!));
    }
  });
  return jsonResponse(200, {});
}
