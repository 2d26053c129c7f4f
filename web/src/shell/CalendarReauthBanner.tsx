import { readCalendarAttention } from "../data/google_calendar.ts";
import { useQuery } from "../data/query.ts";
import { canManage } from "../organisations/memberships.ts";
import { ConnectGoogleButton } from "../pages/channels/ConnectGoogleButton.tsx";
import { currentPath } from "../router.ts";
import { Alert } from "../ui/mod.ts";

/**
 * On every page, for owners and admins: Google stopped accepting the clinic's calendar grant.
 * Syncing waits (nothing is lost) until someone reconnects. Read again on each page change.
 */
export function CalendarReauthBanner({ organisationId }: { organisationId: string }) {
  const manages = canManage.value;
  const path = currentPath.value;
  const query = useQuery(
    () =>
      manages
        ? readCalendarAttention(organisationId)
        : Promise.resolve({ data: null, error: null }),
    [organisationId, manages, path],
  );
  // The Calendar card itself says it, with its own Reconnect.
  if (query.data.value?.status !== "needs_reauth" || path === "/channels/calendar") return null;
  return (
    <div class="stack-tight" role="region" aria-label="Google Calendar needs reconnecting">
      <Alert tone="warning">
        Google Calendar needs reconnecting: {query.data.value.last_error ??
          "Google no longer accepts Frontdesk's access."}{" "}
        Bookings wait and are written to Google once it is reconnected.
      </Alert>
      <div class="row start">
        <ConnectGoogleButton organisationId={organisationId} label="Reconnect" />
      </div>
    </div>
  );
}
