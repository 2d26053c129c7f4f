// /_local/openai: the latest chat completions (the patient's last message and what the "model"
// answered), the script still queued, active faults and recent requests. Reloads itself.
import { requestsTable, sandboxPage, table } from "../console.ts";
import { escapeHtml as e } from "../google/http.ts";
import { summary } from "./chat.ts";
import type { SandboxContext } from "./context.ts";

export function consolePage(ctx: SandboxContext): Response {
  const rows = ctx.exchanges.slice(-20).reverse().map((x) => {
    const s = summary(x);
    return `<tr><td>${e(x.at.slice(11, 19))}</td><td>${x.status}</td><td>${
      e(s.asked.slice(0, 200))
    }</td><td>${e(s.answered.slice(0, 300))}</td></tr>`;
  }).join("");
  const faults = ctx.faults.list().map((f) =>
    `<tr><td><code>${e(f.id)}</code></td><td>${e(f.error ?? "")}</td><td>${
      f.status ?? ""
    }</td><td>${f.delayMs ?? ""}</td><td>${f.times ?? "until cleared"}</td></tr>`
  ).join("");
  return sandboxPage(
    "OpenAI sandbox",
    `<p>Local stand-in for OpenAI's Chat Completions. Without a script it follows simple rules:
booking questions (English, Russian) call check_availability, offered times are booked on "yes",
anything else gets a short answer naming the clinic. Queue exact answers:
<code>POST /_local/openai/control/script {"responses": [...]}</code>.</p>
<h2>Latest completions</h2>${table(["Time (UTC)", "Status", "Last message", "Answer"], rows)}
<h2>Queued script</h2><p>${ctx.script.length} response(s).</p>
<h2>Active faults</h2>${table(["Id", "Error", "Status", "Delay ms", "Times"], faults)}
<h2>Recent requests</h2>${requestsTable(ctx.log, "")}`,
  );
}
