import type { ComponentChildren } from "preact";

/**
 * Errors interrupt screen readers (role="alert"); confirmations and standing warnings (something
 * that needs attention but did not just fail) are announced politely.
 */
export function Alert(
  { tone, children }: { tone: "error" | "warning" | "success"; children: ComponentChildren },
) {
  return (
    <p class={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
