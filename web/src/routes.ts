import type { ComponentType } from "preact";
import { AppointmentsPage } from "./pages/appointments/AppointmentsPage.tsx";
import { AssistantPage } from "./pages/assistant/AssistantPage.tsx";
import { AuditLogPage } from "./pages/audit/AuditLogPage.tsx";
import { CallPage } from "./pages/calls/CallPage.tsx";
import { CallsPage } from "./pages/calls/CallsPage.tsx";
import { ChannelsPage } from "./pages/channels/ChannelsPage.tsx";
import { ContactPage } from "./pages/contacts/ContactPage.tsx";
import { ContactsPage } from "./pages/contacts/ContactsPage.tsx";
import { FaqPage } from "./pages/faq/FaqPage.tsx";
import { HomePage } from "./pages/home/HomePage.tsx";
import { HoursPage } from "./pages/hours/HoursPage.tsx";
import { InboxPage } from "./pages/inbox/InboxPage.tsx";
import { IntentsPage } from "./pages/intents/IntentsPage.tsx";
import { AcceptInvitationPage } from "./pages/invitation/AcceptInvitationPage.tsx";
import { InvitedSignIn } from "./pages/invitation/InvitedSignIn.tsx";
import { CreateOrganisationPage } from "./pages/onboarding/CreateOrganisationPage.tsx";
import { PractitionersPage } from "./pages/practitioners/PractitionersPage.tsx";
import { ProfilePage } from "./pages/profile/ProfilePage.tsx";
import { PromptPreviewPage } from "./pages/prompt-preview/PromptPreviewPage.tsx";
import { ServicesPage } from "./pages/services/ServicesPage.tsx";
import { SettingsPage } from "./pages/settings/SettingsPage.tsx";
import { TeamPage } from "./pages/team/TeamPage.tsx";
import type { RouteParams, RouteQuery } from "./route_match.ts";

/** What a routed page is given: its pattern's parameters ("/calls/:id") and the query. */
export type PageProps = { params: RouteParams; query: RouteQuery };

export type Route = {
  /** A pattern for matchPath: "/calls/:id", "/channels/:section?". The first match wins. */
  path: string;
  page: ComponentType<PageProps>;
  /** What the address shows signed out; without it, the sign-in page. */
  signedOut?: ComponentType<PageProps>;
  /**
   * Open to a user without an organisation, and shown before their clinics have loaded; the page
   * is not replaced when the clinic changes. Every other page needs a clinic and is shown fresh
   * for each one, never with the previous clinic's rows.
   */
  withoutOrganisation?: boolean;
};

/** The dashboard's pages by address; each page lives in its own folder under pages/. */
export const routes: Route[] = [
  { path: "/", page: HomePage },
  { path: "/appointments", page: AppointmentsPage },
  { path: "/inbox/:conversationId?", page: InboxPage },
  { path: "/calls", page: CallsPage },
  { path: "/calls/:id", page: CallPage },
  { path: "/contacts", page: ContactsPage },
  { path: "/contacts/:id", page: ContactPage },
  { path: "/practitioners", page: PractitionersPage },
  { path: "/assistant", page: AssistantPage },
  { path: "/assistant/intents", page: IntentsPage },
  { path: "/assistant/faq", page: FaqPage },
  { path: "/assistant/hours", page: HoursPage },
  { path: "/assistant/services", page: ServicesPage },
  { path: "/assistant/preview", page: PromptPreviewPage },
  { path: "/channels/:section?", page: ChannelsPage },
  { path: "/team", page: TeamPage },
  { path: "/settings", page: SettingsPage },
  { path: "/audit", page: AuditLogPage },
  { path: "/profile", page: ProfilePage, withoutOrganisation: true },
  { path: "/organisations/new", page: CreateOrganisationPage },
  {
    path: "/invitations/:token",
    page: AcceptInvitationPage,
    signedOut: InvitedSignIn,
    withoutOrganisation: true,
  },
];
