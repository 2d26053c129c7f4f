// /_local/twilio: a page for developers — the numbers and where they send calls, the latest calls
// with what the caller heard, active faults and recent REST requests. Reloads itself.
import { requestsTable, sandboxPage, table } from "../console.ts";
import { escapeHtml as e } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";
import type { CallStep } from "./store.ts";

function stepText(s: CallStep): string {
  switch (s.verb) {
    case "vapi":
      return s.handled ? `Vapi answered (${s.detail})` : `Vapi did not answer: ${s.detail}`;
    case "request":
      return `${s.purpose} → ${s.url} (${s.status || "no answer"})`;
    case "say":
      return `🔊 “${s.text}”${s.language ? ` [${s.language}]` : ""}`;
    case "dial":
      return `📞 dial ${s.number}: ${s.result}`;
    case "record":
      return s.recordingSid
        ? `⏺ recorded ${s.seconds} s (${s.recordingSid})`
        : "⏺ nothing recorded";
    case "redirect":
      return `↪ ${s.url}`;
    case "hangup":
      return "hang up";
    case "application-error":
      return `⚠ “We are sorry, an application error has occurred.” ${s.detail}`;
  }
}

export function consolePage(ctx: SandboxContext): Response {
  const numbers = [...ctx.store.numbers.values()].map((n) =>
    `<tr><td>${e(n.phoneNumber)}</td><td><code>${e(n.accountSid)}</code></td><td>${
      e(n.voiceUrl)
    }</td><td>${e(n.voiceFallbackUrl)}</td><td>${e(n.statusCallback)}</td></tr>`
  ).join("");
  const calls = [...ctx.store.calls.values()].reverse().slice(0, 20).map((c) =>
    `<section><h3>${e(new Date(c.startedAt).toISOString().slice(11, 19))} ${e(c.from)} → ${e(c.to)}
<small>${e(c.status)}${
      c.answeredBy ? `, answered by ${e(c.answeredBy)}` : ""
    }, ${c.seconds} s</small></h3>
<ol>${c.steps.map((s) => `<li>${e(stepText(s))}</li>`).join("")}</ol></section>`
  ).join("");
  const faults = ctx.faults.list().map((f) =>
    `<tr><td><code>${e(f.id)}</code></td><td>${e(f.endpoint)}</td><td>${f.status ?? ""}</td><td>${
      f.delayMs ?? ""
    }</td><td>${f.times ?? "until cleared"}</td><td>${e(f.account ?? "any")}</td></tr>`
  ).join("");
  return sandboxPage(
    "Twilio sandbox",
    `<p>Local stand-in for Twilio Voice. Place a call: <code>POST ${
      e(ctx.baseUrl)
    }/control/calls {"to","from","script"}</code>. Send an SMS or WhatsApp message as a patient:
<a href="twilio/messages">messages</a>.</p>
<h2>Numbers</h2>${
      table(["Number", "Account", "Voice URL", "Fallback URL", "Status callback"], numbers)
    }
<h2>Calls</h2>${calls || "<p>None yet.</p>"}
<h2>Active faults</h2>${table(["Id", "Endpoint", "Status", "Delay ms", "Times", "Account"], faults)}
<h2>Recent REST requests</h2>${requestsTable(ctx.log)}`,
  );
}
