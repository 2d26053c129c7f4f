import { canManage, currentOrganisation } from "../organisations/memberships.ts";
import { NeedsMeCount } from "../pages/inbox/NeedsMeCount.tsx";
import { currentPath } from "../router.ts";

type Link = { path: string; label: string; managers?: boolean };

/**
 * The dashboard's pages in groups: daily work, what the assistant knows and where it answers, and
 * the clinic itself. `managers`: shown to owners and admins only (the page tells anyone else why).
 */
const GROUPS: { label: string; links: Link[] }[] = [
  {
    label: "Work",
    links: [
      { path: "/", label: "Overview" },
      { path: "/inbox", label: "Inbox" },
      { path: "/appointments", label: "Appointments" },
      { path: "/calls", label: "Calls" },
      { path: "/contacts", label: "Contacts" },
    ],
  },
  {
    label: "Setup",
    links: [
      { path: "/assistant", label: "Assistant" },
      { path: "/assistant/intents", label: "Intents" },
      { path: "/assistant/faq", label: "FAQ" },
      { path: "/assistant/hours", label: "Hours" },
      { path: "/assistant/services", label: "Services" },
      { path: "/practitioners", label: "Practitioners" },
      { path: "/assistant/preview", label: "Prompt preview" },
      { path: "/channels", label: "Channels" },
    ],
  },
  {
    label: "Clinic",
    links: [
      { path: "/team", label: "Team" },
      { path: "/settings", label: "Settings" },
      { path: "/audit", label: "Audit log", managers: true },
    ],
  },
];

/** The link of the page shown, or of the page whose sections it is ("/channels/whatsapp"). */
function isCurrent(linkPath: string, path: string): boolean {
  return path === linkPath || (linkPath !== "/" && linkPath !== "/assistant" &&
    path.startsWith(`${linkPath}/`));
}

/** Every page of the clinic, grouped; nothing but the profile without a clinic. */
export function Nav() {
  const path = currentPath.value;
  const manages = canManage.value;
  const organisation = currentOrganisation.value;
  if (!organisation) return null;
  return (
    <nav aria-label="Sections">
      {GROUPS.map((group) => (
        <div key={group.label}>
          {/* A visual heading only: "Clinic" as a name would clash with the clinic switcher's. */}
          <p class="nav-group">{group.label}</p>
          <ul class="nav-list">
            {group.links.filter((link) => manages || !link.managers).map((link) => (
              <li key={link.path}>
                <a
                  href={`#${link.path}`}
                  aria-current={isCurrent(link.path, path) ? "page" : undefined}
                >
                  {link.label}
                </a>
                {link.path === "/inbox" && <NeedsMeCount organisationId={organisation.id} />}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
