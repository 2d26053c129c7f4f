// What the google-oauth callback's outcome (`#/channels/calendar?calendar=<outcome>`) means for
// the person who came back from Google's page.

const PERMISSIONS: Record<string, string> = {
  "https://www.googleapis.com/auth/calendar.events": "View and edit events on all your calendars",
  "https://www.googleapis.com/auth/calendar.readonly":
    "See and download any calendar you can access",
};

const AGAIN = "Press Connect to start again.";

/** Why nothing was connected, by outcome (missing_scope names the permissions itself). */
const REFUSALS: Record<string, string> = {
  denied:
    "Deny was chosen on Google's page. Press Connect and choose Allow to let Frontdesk use the calendar.",
  expired: `more than 10 minutes passed on Google's page. ${AGAIN}`,
  used: `that answer from Google had already been used. ${AGAIN}`,
  not_admin: "only owners and admins can connect it, and you no longer are one in this clinic.",
  invalid: `the answer from Google could not be checked. ${AGAIN}`,
  failed: "Google did not complete it just now. Please try again in a minute.",
};

export type CalendarOutcome = { tone: "success" | "error"; message: string };

/** null when the address carries no outcome (or one this page does not know). */
export function calendarOutcome(
  outcome: string | undefined,
  missing: string | undefined,
  accountEmail: string | null,
): CalendarOutcome | null {
  if (outcome === "connected") {
    return { tone: "success", message: `Connected as ${accountEmail ?? "your Google account"}.` };
  }
  let reason: string | undefined;
  if (outcome === "missing_scope") {
    const unticked = (missing ?? "").split(" ").filter(Boolean)
      .map((scope) => `“${PERMISSIONS[scope] ?? scope}”`);
    reason = `the permission ${
      unticked.join(" and ") || "Frontdesk needs"
    } was unticked on Google's page. Press Connect and leave every permission ticked.`;
  } else if (outcome !== undefined && Object.hasOwn(REFUSALS, outcome)) {
    reason = REFUSALS[outcome];
  }
  return reason ? { tone: "error", message: `Google Calendar was not connected: ${reason}` } : null;
}
