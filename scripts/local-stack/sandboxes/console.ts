// What every sandbox's developer page has: the page around it, its tables, the recent requests.
import type { RequestLog } from "./faults.ts";
import { escapeHtml as e, html } from "./google/http.ts";

/** A table with these headings, or `empty` when there are no rows. */
export const table = (headings: string[], rows: string, empty = "<p>None.</p>") =>
  rows ? `<table><tr>${headings.map((h) => `<th>${h}</th>`).join("")}</tr>${rows}</table>` : empty;

/** The last 40 requests, newest first; `account` names what the account column holds. */
export function requestsTable(log: RequestLog, account = "Account"): string {
  const rows = log.since().slice(-40).reverse().map((r) =>
    `<tr><td>${e(r.at.slice(11, 19))}</td><td>${e(r.method)}</td><td>${
      e(r.endpoint)
    }</td><td>${r.status}</td><td>${e(r.account ?? "")}</td><td>${r.fault ? "fault" : ""}</td></tr>`
  ).join("");
  return table(
    ["Time (UTC)", "Method", "Endpoint", "Status", account, ""],
    rows,
    "<p>None yet.</p>",
  );
}

/** The page `title` with `body`; `refresh`: it reloads itself every 5 s. */
export function sandboxPage(
  title: string,
  body: string,
  { style = "", refresh = true }: { style?: string; refresh?: boolean } = {},
): Response {
  return html(
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
${refresh ? `<meta http-equiv="refresh" content="5">` : ""}<style>
body{font-family:sans-serif;margin:1.5rem;line-height:1.4}table{border-collapse:collapse;margin-bottom:1rem}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}${style}
</style></head><body>
<h1>${title}</h1>
${body}
</body></html>`,
  );
}
