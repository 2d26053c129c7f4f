// /_local/meta: write to a clinic's WhatsApp number as a patient and watch the replies arrive
// (the thread is read again every second), plus the apps, numbers, active faults and recent
// Graph requests. Never shows a secret or a token.
import { requestsTable, sandboxPage, table } from "../console.ts";
import { escapeHtml as e } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";

const SCRIPT = `
const base = location.pathname.replace(/\\/$/, "");
const form = document.getElementById("send"), list = document.getElementById("thread");
const ticks = {accepted: "·", sent: "✓", delivered: "✓✓", read: "✓✓ read", failed: "✗ failed"};
async function refresh() {
  const q = new URLSearchParams({phone_number_id: form.phone_number_id.value, wa_id: form.from.value});
  const res = await fetch(base + "/control/thread?" + q);
  if (!res.ok) return;
  list.replaceChildren(...(await res.json()).map((m) => {
    const li = document.createElement("li");
    li.className = m.direction;
    li.textContent = (m.direction === "inbound" ? "Patient: " : "Clinic: ") + m.text +
      "  " + (m.direction === "outbound" ? (ticks[m.status] ?? m.status) : "HTTP " + m.status);
    return li;
  }));
}
form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = {phone_number_id: form.phone_number_id.value, from: form.from.value,
    name: form.name.value || undefined, text: form.text.value};
  const res = await fetch(base + "/control/inbound", {method: "POST",
    headers: {"content-type": "application/json"}, body: JSON.stringify(body)});
  document.getElementById("result").textContent = res.ok
    ? "Posted; our function answered HTTP " + (await res.json()).status
    : "Refused: " + (await res.json()).error;
  form.text.value = "";
  refresh();
});
form.phone_number_id.addEventListener("change", refresh);
form.from.addEventListener("change", refresh);
setInterval(refresh, 1000);
refresh();
`;

export function consolePage(ctx: SandboxContext, req: Request): Response {
  const q = new URL(req.url).searchParams;
  const chosen = q.get("phone_number_id") ?? [...ctx.store.numbers.keys()][0] ?? "";
  const options = [...ctx.store.numbers.values()].map((n) =>
    `<option value="${e(n.id)}"${n.id === chosen ? " selected" : ""}>+${e(n.displayPhoneNumber)} (${
      e(n.id)
    }, app ${e(n.appId)})</option>`
  ).join("");
  const apps = [...ctx.store.apps.values()].map((a) =>
    `<tr><td><code>${e(a.id)}</code></td><td>${e(a.callbackUrl)}</td></tr>`
  ).join("");
  const faults = ctx.faults.list().map((f) =>
    `<tr><td><code>${e(f.id)}</code></td><td>${e(f.endpoint ?? "any")}</td><td>${f.code ?? ""}${
      f.async ? " (async)" : ""
    }</td><td>${f.status ?? ""}</td><td>${f.delayMs ?? ""}</td><td>${
      f.times ?? "until cleared"
    }</td><td>${e(f.account ?? "any")}</td></tr>`
  ).join("");
  return sandboxPage(
    "Meta WhatsApp sandbox",
    `<p>Local stand-in for the WhatsApp Cloud API. Write as a patient to a clinic's number; the
message is posted to our <code>whatsapp</code> function signed as Meta signs, and the replies our
side sends through Graph appear below.</p>
<form id="send">
<label>Clinic number <select name="phone_number_id">${options}</select></label>
<label>Patient wa_id <input name="from" value="${
      e(q.get("wa_id") ?? "447700900555")
    }" size="16"></label>
<label>Name <input name="name" value="Sandbox patient" size="16"></label><br>
<textarea name="text" rows="2" cols="70" required placeholder="Message"></textarea>
<button>Send as the patient</button> <span id="result"></span>
</form>
<ol id="thread"></ol>
<h2>Apps</h2>${table(["App", "Callback URL"], apps)}
<h2>Active faults</h2>${
      table(["Id", "Endpoint", "Code", "Status", "Delay ms", "Times", "Number"], faults)
    }
<h2>Recent Graph requests</h2>${requestsTable(ctx.log, "Number")}
<script type="module">${SCRIPT}</script>`,
    {
      refresh: false,
      style: "#thread li.inbound{color:#333}#thread li.outbound{color:#05633e;margin-left:2rem}" +
        "label{margin-right:1rem}",
    },
  );
}
