import { startCalendarConnection } from "../../data/google_calendar.ts";
import { Alert, Button } from "../../ui/mod.ts";
import { useAction } from "../../use_action.ts";

/** Connect or Reconnect: off to Google's consent page, which sends the person back here. */
export function ConnectGoogleButton(
  { organisationId, label }: { organisationId: string; label: "Connect" | "Reconnect" },
) {
  const action = useAction();
  return (
    <>
      <Button
        busy={action.busy.value}
        onClick={() =>
          action.run(async () => {
            const { data, error } = await startCalendarConnection(organisationId);
            if (data) location.assign(data.url);
            return { error };
          })}
      >
        {label} Google Calendar
      </Button>
      {action.error.value && <Alert tone="error">{action.error.value}</Alert>}
    </>
  );
}
