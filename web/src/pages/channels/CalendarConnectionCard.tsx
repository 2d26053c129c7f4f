import { disconnectCalendar } from "../../data/google_calendar.ts";
import { currentLocation } from "../../router.ts";
import { Alert, Card, ConfirmButton } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { calendarOutcome } from "./calendar_outcome.ts";
import { ConnectGoogleButton } from "./ConnectGoogleButton.tsx";
import { PractitionerCalendars } from "./PractitionerCalendars.tsx";
import { type CalendarConnection, type SectionProps } from "./use_channels.ts";

/**
 * Whether bookings go into the clinic's Google Calendar. Owners and admins connect it (Google's
 * consent page and back), reconnect it when Google stops accepting the grant, and disconnect it.
 */
export function CalendarConnectionCard(
  { organisationId, channels, manages, reload }: SectionProps,
) {
  const connection = channels.calendar;
  const connected = connection !== null && connection.status !== "disconnected";
  const { calendar, missing } = currentLocation.value.query;
  // "Connected as …" only while it still is (the address keeps the outcome after a disconnect).
  const outcome = calendar === "connected" && connection?.status !== "active"
    ? null
    : calendarOutcome(calendar, missing, connection?.account_email ?? null);
  return (
    <>
      <Card title="Google Calendar" level={2}>
        {outcome && <Alert tone={outcome.tone}>{outcome.message}</Alert>}
        {connected ? <ConnectionDetails connection={connection} /> : (
          <>
            <p>
              <span class="badge">Not connected</span>
              {connection?.account_email && (
                <span class="muted">{` (was ${connection.account_email})`}</span>
              )}
            </p>
            <p class="muted">
              Until Google Calendar is connected, appointments are kept in Frontdesk's own calendar.
            </p>
          </>
        )}
        {manages && (
          <div class="row start">
            {!connected && <ConnectGoogleButton organisationId={organisationId} label="Connect" />}
            {connection?.status === "needs_reauth" && (
              <ConnectGoogleButton organisationId={organisationId} label="Reconnect" />
            )}
            {connected && <Disconnect organisationId={organisationId} reload={reload} />}
          </div>
        )}
      </Card>
      {connected && <PractitionerCalendars organisationId={organisationId} manages={manages} />}
    </>
  );
}

function ConnectionDetails({ connection }: { connection: CalendarConnection }) {
  const reauth = connection.status === "needs_reauth";
  return (
    <>
      {reauth && (
        <Alert tone="warning">
          {connection.last_error ??
            "Google no longer accepts Frontdesk's access to this calendar: it needs re-authorisation."}
          {" "}
          Until then, bookings wait to be written to Google Calendar and its busy times are not
          seen.
        </Alert>
      )}
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          {reauth
            ? <span class="badge badge-warning">Needs re-authorisation</span>
            : <span class="badge">Connected</span>}
        </dd>
        <dt>Google account</dt>
        <dd class="email">{connection.account_email || "—"}</dd>
      </dl>
    </>
  );
}

function Disconnect(
  { organisationId, reload }: { organisationId: string; reload: () => Promise<void> },
) {
  const action = useAction();
  return (
    <>
      <ConfirmButton
        label="Disconnect"
        question="Disconnect Google Calendar? Frontdesk's access is revoked at Google; new bookings stay in Frontdesk only."
        confirmLabel="Yes, disconnect"
        busy={action.busy.value}
        onConfirm={() =>
          action.run(async () => {
            // The function revokes the grant at Google, then drops the stored tokens.
            const { error } = await disconnectCalendar(organisationId);
            if (!error) await reload();
            return { error };
          })}
      />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </>
  );
}
