import type { ButtonHTMLAttributes, ComponentChildren } from "preact";

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "danger" | "link";
  /** While an action runs: disables the button so it cannot be sent twice. */
  busy?: boolean;
  children: ComponentChildren;
};

export function Button(
  { variant = "primary", busy = false, type = "button", ...rest }: ButtonProps,
) {
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn-${variant}`}
      disabled={busy || rest.disabled}
      aria-busy={busy}
    />
  );
}
