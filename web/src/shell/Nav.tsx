import { canManage } from "../organisations/memberships.ts";
import { currentPath } from "../router.ts";

type Link = { path: string; label: string; managers?: boolean };

/** `managers`: shown to owners and admins only (the page tells anyone else why not). */
const LINKS: Link[] = [
  { path: "/", label: "Overview" },
  { path: "/assistant", label: "Assistant" },
  { path: "/channels", label: "Channels" },
  { path: "/team", label: "Team" },
  { path: "/settings", label: "Settings" },
  { path: "/audit", label: "Audit log", managers: true },
  { path: "/profile", label: "Profile" },
];

/** The assistant's pages: what it says and knows, and what it can book. */
const ASSISTANT_LINKS: Link[] = [
  { path: "/assistant", label: "General" },
  { path: "/assistant/intents", label: "Intents" },
  { path: "/assistant/faq", label: "FAQ" },
  { path: "/assistant/hours", label: "Hours" },
  { path: "/assistant/services", label: "Services" },
  { path: "/assistant/preview", label: "Prompt preview" },
];

function inAssistant(path: string): boolean {
  return path === "/assistant" || path.startsWith("/assistant/");
}

/**
 * The dashboard's sections; the current one is marked for screen readers and styling. Inside the
 * assistant's section, its pages get a second row.
 */
export function Nav() {
  const path = currentPath.value;
  const manages = canManage.value;
  return (
    <>
      <nav aria-label="Sections" class="nav">
        {LINKS.filter((link) => manages || !link.managers).map((link) => (
          <a
            key={link.path}
            href={`#${link.path}`}
            aria-current={link.path === path
              ? "page"
              : link.path === "/assistant" && inAssistant(path)
              ? "true"
              : undefined}
          >
            {link.label}
          </a>
        ))}
      </nav>
      {inAssistant(path) && (
        <nav aria-label="Assistant" class="nav subnav">
          {ASSISTANT_LINKS.map((link) => (
            <a
              key={link.path}
              href={`#${link.path}`}
              aria-current={link.path === path ? "page" : undefined}
            >
              {link.label}
            </a>
          ))}
        </nav>
      )}
    </>
  );
}
