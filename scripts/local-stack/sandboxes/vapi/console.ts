// /_local/vapi: a page for developers — calls as they happen (newest first, the conversation,
// tool results, what the sandbox found wrong), a form to place a call or say a line in a live
// one, the imported numbers, active faults and recent requests. It reloads itself.
import { requestsTable, sandboxPage, table } from "../console.ts";
import { escapeHtml as e } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";

export function consolePage(ctx: SandboxContext): Response {
  const calls = [...ctx.store.calls.values()].reverse().slice(0, 20).map((call) => {
    const lines = call.messages.map((m) =>
      m.role === "bot" || m.role === "user"
        ? `<li class="${m.role}"><b>${m.role === "bot" ? "Assistant" : "Caller"}:</b> ${
          e(m.message ?? "")
        }</li>`
        : m.role === "tool_call_result"
        ? `<li class="tool">↳ ${e(m.name ?? "")}: ${e(m.result ?? "")}</li>`
        : m.role === "tool_calls"
        ? `<li class="tool">→ ${
          e(JSON.stringify((m.toolCalls ?? []).map((c) => (c as { function: unknown }).function)))
        }</li>`
        : ""
    ).join("");
    const live = call.status === "in-progress"
      ? `<form data-say="${
        e(call.id)
      }"><input name="line" size="60" placeholder="Caller says…"> <button>Say</button> <button name="hangup" value="1">Hang up</button></form>`
      : "";
    return `<section><h3>${e(call.customer.number)} → ${
      e(ctx.store.phoneNumbers.get(call.phoneNumberId ?? "")?.number ?? "?")
    } <small>${e(call.createdAt.slice(0, 19).replace("T", " "))} · ${e(call.status)}${
      call.endedReason ? ` · ${e(call.endedReason)}` : ""
    }${call.cost !== undefined ? ` · $${call.cost}` : ""}</small></h3><ul>${lines}</ul>${
      call.summary ? `<p><i>${e(call.summary)}</i></p>` : ""
    }${
      call.recordingUrl
        ? `<audio controls preload="none" src="${e(call.recordingUrl)}"></audio>`
        : ""
    }${
      call.problems.length ? `<p class="problem">${call.problems.map(e).join("<br>")}</p>` : ""
    }${live}</section>`;
  }).join("");
  const numbers = [...ctx.store.phoneNumbers.values()].map((p) =>
    `<tr><td>${e(p.number)}</td><td><code>${e(p.id)}</code></td><td>${e(p.name ?? "")}</td><td>${
      e(p.server?.url ?? "")
    }</td><td>${
      e(String(p.fallbackDestination?.number ?? p.fallbackDestination?.sipUri ?? ""))
    }</td></tr>`
  ).join("");
  const faults = ctx.faults.list().map((f) =>
    `<tr><td><code>${e(f.id)}</code></td><td>${e(f.endpoint ?? "all")}</td><td>${
      f.down ? "down" : f.status ?? ""
    }</td><td>${f.delayMs ?? ""}</td><td>${f.times ?? "until cleared"}</td></tr>`
  ).join("");
  const control = `${ctx.baseUrl}/control`;
  return sandboxPage(
    "Vapi sandbox",
    `<p>Local stand-in for Vapi (REST API and simulated inbound calls). Control API: <code>${
      e(control)
    }</code></p>
<form id="call">Call <select name="to">${
      [...ctx.store.phoneNumbers.values()].map((p) => `<option>${e(p.number)}</option>`).join("")
    }</select> from <input name="from" value="+447700900555" size="14"> saying
<input name="line" size="50" placeholder="I'd like to book a check-up tomorrow at 10:30"> <button>Call</button></form>
<h2>Calls</h2>${calls || "<p>None yet.</p>"}
<h2>Phone numbers</h2>${table(["Number", "Id", "Name", "Server URL", "Fallback"], numbers)}
<h2>Active faults</h2>${table(["Id", "Endpoint", "Fails with", "Delay ms", "Times"], faults)}
<h2>Recent requests</h2>${requestsTable(ctx.log, "Number")}
<script>
const control = ${JSON.stringify(control)};
const post = (path, body) => fetch(control + path, {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(body)}).then(() => location.reload());
document.getElementById("call").onsubmit = (ev) => { ev.preventDefault(); const f = new FormData(ev.target);
  post("/calls", {to: f.get("to"), from: f.get("from"), ...(f.get("line") ? {line: f.get("line")} : {})}); };
for (const form of document.querySelectorAll("form[data-say]")) form.onsubmit = (ev) => { ev.preventDefault();
  const id = form.dataset.say; if (ev.submitter?.name === "hangup") return post("/calls/" + id + "/hangup", {});
  post("/calls/" + id + "/say", {line: new FormData(form).get("line")}); };
// Reload to show calls as they happen, unless someone is typing.
setInterval(() => { if (!document.activeElement || document.activeElement.tagName !== "INPUT") location.reload(); }, 3000);
</script>`,
    {
      // It reloads itself, unless someone is typing.
      refresh: false,
      style: `ul{list-style:none;padding-left:.5rem}
.tool{color:#666;font-size:.9em}.problem{color:#b00}section{border-bottom:1px solid #ddd}`,
    },
  );
}
