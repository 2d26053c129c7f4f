export type Tab = { href: string; label: string };

/**
 * A page's sections as links, each its own address (so a section can be linked to and reloaded);
 * the one shown is marked for screen readers and styling.
 */
export function Tabs({ label, tabs, current }: { label: string; tabs: Tab[]; current: string }) {
  return (
    <nav aria-label={label} class="tabs">
      {tabs.map((tab) => (
        <a key={tab.href} href={tab.href} aria-current={tab.href === current ? "page" : undefined}>
          {tab.label}
        </a>
      ))}
    </nav>
  );
}
