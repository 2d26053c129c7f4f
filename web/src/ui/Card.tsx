import type { ComponentChildren } from "preact";

export function Card({ title, children }: { title?: string; children: ComponentChildren }) {
  return (
    <section class="card stack">
      {title && <h1>{title}</h1>}
      {children}
    </section>
  );
}
