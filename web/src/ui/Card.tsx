import type { ComponentChildren } from "preact";
import { useId } from "preact/hooks";

/**
 * A page's section, named by its title (a landmark screen readers can jump to). The page's main
 * card has the h1; further cards on the page use level 2. Cards are as wide as a form reads well;
 * `wide` ones (lists, logs) take the page's whole width.
 */
export function Card({ title, level = 1, wide, children }: {
  title?: string;
  level?: 1 | 2;
  wide?: boolean;
  children: ComponentChildren;
}) {
  const id = useId();
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <section
      class={wide ? "card stack wide" : "card stack"}
      aria-labelledby={title ? id : undefined}
    >
      {title && <Heading id={id}>{title}</Heading>}
      {children}
    </section>
  );
}
