// What the google-oauth callback's outcome (`#/channels/calendar?calendar=<outcome>`) means for
// the person who came back from Google's page.

const PERMISSIONS: Record<string, string> = {
  "https://www.googleapis.com/auth/calendar.events": "View and edit events on all your calendars",
  "https://www.googleapis.com/auth/calendar.readonly":
    "See and download any calendar you can access",
};

export type CalendarOutcome = { tone: "success" | "error"; message: string };

/** null when the address carries no outcome (or one this page does not know). */
export function calendarOutcome(
  outcome: string | undefined,
  missing: string | undefined,
  accountEmail: string | null,
): CalendarOutcome | null {
  const again = "Press Connect to start again.";
  switch (outcome) {
    case "connected":
      return { tone: "success", message: `Connected as ${accountEmail ?? "your Google account"}.` };
    case "denied":
      return {
        tone: "error",
        message:
          "Google Calendar was not connected: Deny was chosen on Google's page. Press Connect and choose Allow to let Frontdesk use the calendar.",
      };
    case "missing_scope": {
      const unticked = (missing ?? "").split(" ").filter(Boolean)
        .map((scope) => `“${PERMISSIONS[scope] ?? scope}”`);
      return {
        tone: "error",
        message: `Google Calendar was not connected: the permission ${
          unticked.join(" and ") || "Frontdesk needs"
        } was unticked on Google's page. Press Connect and leave every permission ticked.`,
      };
    }
    case "expired":
      return {
        tone: "error",
        message:
          `Google Calendar was not connected: more than 10 minutes passed on Google's page. ${again}`,
      };
    case "used":
      return {
        tone: "error",
        message:
          `Google Calendar was not connected: that answer from Google had already been used. ${again}`,
      };
    case "not_admin":
      return {
        tone: "error",
        message:
          "Google Calendar was not connected: only owners and admins can connect it, and you no longer are one in this clinic.",
      };
    case "invalid":
      return {
        tone: "error",
        message:
          `Google Calendar was not connected: the answer from Google could not be checked. ${again}`,
      };
    case "failed":
      return {
        tone: "error",
        message:
          "Google Calendar was not connected: Google did not complete it just now. Please try again in a minute.",
      };
    default:
      return null;
  }
}
