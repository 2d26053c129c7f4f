import type { ComponentChildren } from "preact";

/** Errors interrupt screen readers (role="alert"); confirmations are announced politely. */
export function Alert(
  { tone, children }: { tone: "error" | "success"; children: ComponentChildren },
) {
  return (
    <p class={`alert alert-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}
