import { Alert, Card, ConfirmButton } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";
import { supabase } from "../../supabase.ts";
import { type CalendarConnection, type SectionProps } from "./use_channels.ts";

/** Whether bookings go into the clinic's Google Calendar; owners and admins may disconnect it. */
export function CalendarConnectionCard(
  { organisationId, channels, manages, reload }: SectionProps,
) {
  const connection = channels.calendar;
  const connected = connection !== null && connection.status !== "disconnected";
  return (
    <Card title="Google Calendar" level={2}>
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
      {connected && manages && <Disconnect organisationId={organisationId} reload={reload} />}
    </Card>
  );
}

function ConnectionDetails({ connection }: { connection: CalendarConnection }) {
  const reauth = connection.status === "needs_reauth";
  return (
    <>
      {reauth && (
        <Alert tone="warning">
          Google no longer accepts Frontdesk's access to this calendar: it needs re-authorisation.
          Until then, bookings are not written to Google Calendar and busy times there are not seen.
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
        <dt>Calendar</dt>
        <dd class="mono">{connection.calendar_id}</dd>
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
        question="Disconnect Google Calendar? New bookings stay in Frontdesk only."
        confirmLabel="Yes, disconnect"
        busy={action.busy.value}
        onConfirm={() =>
          action.run(async () => {
            // The RPC also drops the stored Google tokens, which a status change alone would keep.
            const { error } = await supabase().rpc("disconnect_calendar", {
              organisation_id: organisationId,
            });
            if (!error) await reload();
            return { error };
          })}
      />
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </>
  );
}
