import { canManage } from "../organisations/memberships.ts";
import { currentPath } from "../router.ts";

/** `managers`: shown to owners and admins only (the page tells anyone else why not). */
const LINKS = [
  { path: "/", label: "Overview" },
  { path: "/channels", label: "Channels" },
  { path: "/team", label: "Team" },
  { path: "/settings", label: "Settings" },
  { path: "/audit", label: "Audit log", managers: true },
  { path: "/profile", label: "Profile" },
];

/** The dashboard's sections; the current one is marked for screen readers and styling. */
export function Nav() {
  const path = currentPath.value;
  const manages = canManage.value;
  return (
    <nav aria-label="Sections" class="nav">
      {LINKS.filter((link) => manages || !link.managers).map((link) => (
        <a
          key={link.path}
          href={`#${link.path}`}
          aria-current={link.path === path ? "page" : undefined}
        >
          {link.label}
        </a>
      ))}
    </nav>
  );
}
