import { currentPath } from "../router.ts";

const LINKS = [
  { path: "/", label: "Overview" },
  { path: "/team", label: "Team" },
  { path: "/settings", label: "Settings" },
  { path: "/profile", label: "Profile" },
];

/** The dashboard's sections; the current one is marked for screen readers and styling. */
export function Nav() {
  const path = currentPath.value;
  return (
    <nav aria-label="Sections" class="nav">
      {LINKS.map((link) => (
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
