import type { ComponentType } from "preact";
import { AuditLogPage } from "./pages/audit/AuditLogPage.tsx";
import { ChannelsPage } from "./pages/channels/ChannelsPage.tsx";
import { HomePage } from "./pages/home/HomePage.tsx";
import { CreateOrganisationPage } from "./pages/onboarding/CreateOrganisationPage.tsx";
import { ProfilePage } from "./pages/profile/ProfilePage.tsx";
import { SettingsPage } from "./pages/settings/SettingsPage.tsx";
import { TeamPage } from "./pages/team/TeamPage.tsx";

/**
 * The signed-in app's pages by path; each page lives in its own folder under pages/. The
 * invitation page (`/invitations/:token`) is routed by app.tsx, as it also works signed out.
 */
export const routes: Record<string, ComponentType> = {
  "/": HomePage,
  "/channels": ChannelsPage,
  "/team": TeamPage,
  "/settings": SettingsPage,
  "/audit": AuditLogPage,
  "/profile": ProfilePage,
  "/organisations/new": CreateOrganisationPage,
};

/** Pages a user without an organisation can see (everything else shows onboarding). */
export const pagesWithoutOrganisation = new Set(["/profile"]);
