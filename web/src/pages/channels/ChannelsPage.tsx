import { canManage, currentMembership } from "../../organisations/memberships.ts";
import { Alert, Card } from "../../ui/mod.ts";
import { CalendarConnectionCard } from "./CalendarConnectionCard.tsx";
import { PhoneNumbers } from "./PhoneNumbers.tsx";
import { TwilioAccounts } from "./TwilioAccounts.tsx";
import { useChannels } from "./use_channels.ts";
import { WhatsAppChannels } from "./WhatsAppChannels.tsx";

/**
 * How patients reach the clinic: Twilio accounts and numbers, WhatsApp, and the calendar. Owners
 * and admins add and change them and set their secrets (write-only); members see them read-only.
 */
export function ChannelsPage() {
  const { organisation } = currentMembership.value!;
  const organisationId = organisation.id;
  const manages = canManage.value;
  const { channels, error, reload } = useChannels(organisationId);
  const loaded = channels.value;
  const props = loaded &&
    { organisationId, country: organisation.country, channels: loaded, manages, reload };

  return (
    <>
      <Card title="Channels">
        <p class="muted">
          How patients reach{" "}
          {organisation.name}: phone numbers and WhatsApp, and the calendar bookings go into.{" "}
          {manages
            ? "Secrets are stored encrypted and can never be shown again, not even to you: only their last 4 characters."
            : "Only owners and admins can change channels."}
        </p>
        {error.value && <Alert tone="error">{error.value}</Alert>}
        {!loaded && !error.value && <p class="muted">Loading…</p>}
      </Card>
      {props && (
        <>
          <TwilioAccounts {...props} />
          <PhoneNumbers {...props} />
          <WhatsAppChannels {...props} />
          <CalendarConnectionCard {...props} />
        </>
      )}
    </>
  );
}
