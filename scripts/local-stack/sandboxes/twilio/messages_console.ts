// /_local/twilio/messages: send an SMS or a WhatsApp message to a clinic's number as a patient
// and watch the replies arrive (the thread is read again every second). Never shows a token.
import { sandboxPage } from "../console.ts";
import { escapeHtml as e } from "../google/http.ts";
import type { SandboxContext } from "./context.ts";

const SCRIPT = `
const base = location.pathname.replace(/\\/messages\\/?$/, "");
const form = document.getElementById("send"), list = document.getElementById("thread");
async function refresh() {
  const q = new URLSearchParams({patient: form.from.value, number: form.to.value,
    whatsapp: String(form.whatsapp.checked)});
  const res = await fetch(base + "/control/messages/thread?" + q);
  if (!res.ok) return;
  list.replaceChildren(...(await res.json()).map((m) => {
    const li = document.createElement("li");
    const inbound = m.direction === "inbound";
    li.className = inbound ? "inbound" : "outbound";
    li.textContent = (inbound ? "Patient: " : "Clinic: ") + m.body + "  " +
      (inbound ? "HTTP " + m.answers.map((a) => a.httpStatus).join(",") : m.status +
        (m.errorCode ? " (" + m.errorCode + ")" : ""));
    return li;
  }));
}
form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = {to: form.to.value, from: form.from.value, body: form.body.value,
    whatsapp: form.whatsapp.checked, profile_name: form.profile.value || undefined};
  const res = await fetch(base + "/control/messages/inbound", {method: "POST",
    headers: {"content-type": "application/json"}, body: JSON.stringify(body)});
  const out = await res.json();
  document.getElementById("result").textContent = res.ok
    ? "Posted; our function answered HTTP " + out.answers.map((a) => a.httpStatus).join(",")
    : "Refused: " + out.error;
  form.body.value = "";
  refresh();
});
for (const name of ["to", "from", "whatsapp"]) form[name].addEventListener("change", refresh);
setInterval(refresh, 1000);
refresh();
`;

export function messagesPage(ctx: SandboxContext, req: Request): Response {
  const q = new URL(req.url).searchParams;
  const options = [...ctx.store.numbers.values()].map((n) =>
    `<option value="${e(n.phoneNumber)}"${
      n.phoneNumber === (q.get("to") ?? "+37167000123") ? " selected" : ""
    }>${e(n.phoneNumber)} (${e(ctx.store.accounts.get(n.accountSid)?.friendlyName ?? "")})</option>`
  ).join("");
  return sandboxPage(
    "Twilio sandbox: messages",
    `<p>Write to a clinic's number as a patient, by SMS or WhatsApp. The message is posted to our
<code>twilio-messaging</code> function signed as Twilio signs; what our side sends through
Messages.json appears below with its status. <a href="../twilio">Calls and numbers</a></p>
<form id="send">
<label>Clinic number <select name="to">${options}</select></label>
<label>Patient <input name="from" value="${e(q.get("from") ?? "+37120000555")}" size="16"></label>
<label><input type="checkbox" name="whatsapp"> WhatsApp</label>
<label>Profile name <input name="profile" value="Sandbox patient" size="16"></label><br>
<textarea name="body" rows="2" cols="70" required placeholder="Message"></textarea>
<button>Send as the patient</button> <span id="result"></span>
</form>
<ol id="thread"></ol>
<script type="module">${SCRIPT}</script>`,
    {
      refresh: false,
      style: "#thread li.outbound{color:#05633e;margin-left:2rem}label{margin-right:1rem}",
    },
  );
}
