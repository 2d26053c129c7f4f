// /_local/twilio: a page for developers — the numbers and where they send calls, the latest calls
// with what the caller heard, active faults and recent REST requests. Reloads itself.
import { escapeHtml as e, html } from "../google/http.ts";
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
  const requests = ctx.log.since().slice(-40).reverse().map((r) =>
    `<tr><td>${e(r.at.slice(11, 19))}</td><td>${e(r.method)}</td><td>${
      e(r.endpoint)
    }</td><td>${r.status}</td><td>${e(r.account ?? "")}</td><td>${r.fault ? "fault" : ""}</td></tr>`
  ).join("");
  return html(
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Twilio sandbox</title>
<meta http-equiv="refresh" content="5"><style>
body{font-family:sans-serif;margin:1.5rem;line-height:1.4}table{border-collapse:collapse;margin-bottom:1rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
</style></head><body>
<h1>Twilio sandbox</h1>
<p>Local stand-in for Twilio Voice. Place a call: <code>POST ${
      e(ctx.baseUrl)
    }/control/calls {"to","from","script"}</code></p>
<h2>Numbers</h2>${
      numbers
        ? `<table><tr><th>Number</th><th>Account</th><th>Voice URL</th><th>Fallback URL</th><th>Status callback</th></tr>${numbers}</table>`
        : "<p>None.</p>"
    }
<h2>Calls</h2>${calls || "<p>None yet.</p>"}
<h2>Active faults</h2>${
      faults
        ? `<table><tr><th>Id</th><th>Endpoint</th><th>Status</th><th>Delay ms</th><th>Times</th><th>Account</th></tr>${faults}</table>`
        : "<p>None.</p>"
    }
<h2>Recent REST requests</h2>${
      requests
        ? `<table><tr><th>Time (UTC)</th><th>Method</th><th>Endpoint</th><th>Status</th><th>Account</th><th></th></tr>${requests}</table>`
        : "<p>None yet.</p>"
    }
</body></html>`,
  );
}
