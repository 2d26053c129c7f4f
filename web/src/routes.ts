import type { ComponentType } from "preact";
import { AssistantPage } from "./pages/assistant/AssistantPage.tsx";
import { AuditLogPage } from "./pages/audit/AuditLogPage.tsx";
import { ChannelsPage } from "./pages/channels/ChannelsPage.tsx";
import { FaqPage } from "./pages/faq/FaqPage.tsx";
import { HomePage } from "./pages/home/HomePage.tsx";
import { HoursPage } from "./pages/hours/HoursPage.tsx";
import { IntentsPage } from "./pages/intents/IntentsPage.tsx";
import { CreateOrganisationPage } from "./pages/onboarding/CreateOrganisationPage.tsx";
import { ProfilePage } from "./pages/profile/ProfilePage.tsx";
import { PromptPreviewPage } from "./pages/prompt-preview/PromptPreviewPage.tsx";
import { ServicesPage } from "./pages/services/ServicesPage.tsx";
import { SettingsPage } from "./pages/settings/SettingsPage.tsx";
import { TeamPage } from "./pages/team/TeamPage.tsx";

/**
 * The signed-in app's pages by path; each page lives in its own folder under pages/. The
 * invitation page (`/invitations/:token`) is routed by app.tsx, as it also works signed out.
 */
export const routes: Record<string, ComponentType> = {
  "/": HomePage,
  "/assistant": AssistantPage,
  "/assistant/intents": IntentsPage,
  "/assistant/faq": FaqPage,
  "/assistant/hours": HoursPage,
  "/assistant/services": ServicesPage,
  "/assistant/preview": PromptPreviewPage,
  "/channels": ChannelsPage,
  "/team": TeamPage,
  "/settings": SettingsPage,
  "/audit": AuditLogPage,
  "/profile": ProfilePage,
  "/organisations/new": CreateOrganisationPage,
};

/** Pages a user without an organisation can see (everything else shows onboarding). */
export const pagesWithoutOrganisation = new Set(["/profile"]);
