import type { ComponentChildren } from "preact";

/** A list with nothing in it yet: says what is missing and, where there is one, the way to add it. */
export function EmptyState(
  { children, action }: { children: ComponentChildren; action?: ComponentChildren },
) {
  return (
    <div class="empty">
      <p>{children}</p>
      {action}
    </div>
  );
}
