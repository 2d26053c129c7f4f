// /_local/google: a page for developers — each account's calendars with this week's and next
// week's events (a booking appears within seconds: the page reloads itself), the recent
// requests and the active faults.
import { requestsTable, sandboxPage, table } from "../console.ts";
import type { SandboxContext } from "./context.ts";
import { escapeHtml as e } from "./http.ts";
import type { StoredEvent } from "./store.ts";
import { startOfWeek, wallClock } from "./time.ts";

const DAY = 24 * 3600 * 1000;

function when(event: StoredEvent, timeZone: string): string {
  const fmt = (ms: number, withDay: boolean) => {
    const [y, mo, d, h, mi] = wallClock(ms, timeZone);
    const day = new Date(Date.UTC(y, mo - 1, d)).toUTCString().slice(0, 11);
    const time = `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`;
    return withDay ? `${day} ${time}` : time;
  };
  const start = event.resource.start as { date?: string };
  if (start.date) return `${start.date} (all day)`;
  return `${fmt(event.startMs, true)}–${fmt(event.endMs, false)}`;
}

export function consolePage(ctx: SandboxContext): Response {
  const now = ctx.store.now();
  const sections = [...ctx.store.accounts.values()].map((account) => {
    const calendars = account.calendars.map((c) => {
      const from = startOfWeek(now, c.timeZone);
      const to = from + 14 * DAY + 2 * 3600 * 1000; // a DST change makes a day 25 hours
      const events = [...ctx.store.calendarEvents(c.id).values()]
        .filter((ev) => ev.endMs > from && ev.startMs < to)
        .sort((a, b) => a.startMs - b.startMs);
      const rows = events.map((ev) =>
        `<tr${ev.deleted ? ' class="gone"' : ""}><td>${e(when(ev, c.timeZone))}</td><td>${
          e(String(ev.resource.summary ?? "(no title)"))
        }</td><td><code>${e(ev.resource.id)}</code></td><td>${e(String(ev.resource.status))}${
          ev.resource.transparency === "transparent" ? ", free" : ""
        }</td></tr>`
      ).join("");
      return `<h3>${e(c.summary)} <small><code>${e(c.id)}</code> · ${e(c.timeZone)}${
        c.primary ? " · primary" : ""
      }</small></h3>${
        rows
          ? `<table><tr><th>When</th><th>Summary</th><th>Id</th><th>Status</th></tr>${rows}</table>`
          : "<p>No events this week or next.</p>"
      }`;
    }).join("");
    const grants = [...ctx.store.grants.values()].filter((g) => g.email === account.email);
    const live = grants.filter((g) => !g.revoked).length;
    return `<section><h2>${e(account.email)}</h2><p>${live} live grant(s), ${
      grants.length - live
    } revoked</p>${calendars}</section>`;
  }).join("");
  const faults = ctx.faults.list().map((f) =>
    `<tr><td><code>${e(f.id)}</code></td><td>${e(f.endpoint)}</td><td>${
      e(f.status ? String(f.status) : f.error ?? "")
    }</td><td>${f.delayMs ?? ""}</td><td>${f.times ?? "until cleared"}</td><td>${
      e(f.account ?? "any")
    }</td></tr>`
  ).join("");
  return sandboxPage(
    "Google sandbox",
    `<p>Local stand-in for Google OAuth and Calendar v3. Control API: <code>${
      e(ctx.baseUrl)
    }/control</code></p>
${sections}
<h2>Active faults</h2>${
      table(["Id", "Endpoint", "Fails with", "Delay ms", "Times", "Account"], faults)
    }
<h2>Recent requests</h2>${requestsTable(ctx.log)}`,
    { style: ".gone{color:#999;text-decoration:line-through}" },
  );
}
