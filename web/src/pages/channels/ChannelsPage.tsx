import type { ComponentType } from "preact";
import { canManage, currentMembership } from "../../organisations/memberships.ts";
import type { PageProps } from "../../routes.ts";
import { Alert, Card, EmptyState, Tabs } from "../../ui/mod.ts";
import { CalendarConnectionCard } from "./CalendarConnectionCard.tsx";
import { PhoneNumbers } from "./PhoneNumbers.tsx";
import { TwilioAccounts } from "./TwilioAccounts.tsx";
import { type SectionProps, useChannels } from "./use_channels.ts";
import { WhatsAppChannels } from "./WhatsAppChannels.tsx";

/**
 * The page's sections, each at its own address ("#/channels/whatsapp"), so no page is as long as
 * all of them together. The first is shown at "#/channels": WhatsApp needs nothing else set up,
 * while numbers need their Twilio account first.
 */
const SECTIONS: { slug: string; label: string; Section: ComponentType<SectionProps> }[] = [
  { slug: "whatsapp", label: "WhatsApp", Section: WhatsAppChannels },
  { slug: "phone-numbers", label: "Phone numbers", Section: PhoneNumbers },
  { slug: "twilio", label: "Twilio accounts", Section: TwilioAccounts },
  { slug: "calendar", label: "Calendar", Section: CalendarConnectionCard },
];

/**
 * How patients reach the clinic: WhatsApp, Twilio numbers and accounts, and the calendar. Owners
 * and admins add and change them and set their secrets (write-only); members see them read-only.
 */
export function ChannelsPage({ params }: PageProps) {
  const { organisation } = currentMembership.value!;
  const organisationId = organisation.id;
  const manages = canManage.value;
  const { channels, error, reload } = useChannels(organisationId);
  const loaded = channels.value;
  const props = loaded &&
    { organisationId, country: organisation.country, channels: loaded, manages, reload };
  const section = params.section ? SECTIONS.find((s) => s.slug === params.section) : SECTIONS[0];

  return (
    <>
      <Card title="Channels">
        <p class="muted">
          How patients reach{" "}
          {organisation.name}: WhatsApp and phone numbers, and the calendar bookings go into.{" "}
          {manages
            ? "Secrets are stored encrypted and can never be shown again, not even to you: only their last 4 characters."
            : "Only owners and admins can change channels."}
        </p>
        <Tabs
          label="Channels"
          current={`#/channels/${section?.slug}`}
          tabs={SECTIONS.map(({ slug, label }) => ({ href: `#/channels/${slug}`, label }))}
        />
        {error.value && <Alert tone="error">{error.value}</Alert>}
        {!loaded && !error.value && <p class="muted">Loading…</p>}
      </Card>
      {!section && <EmptyState>There is no such section of Channels: pick one above.</EmptyState>}
      {props && section && <section.Section {...props} />}
    </>
  );
}
