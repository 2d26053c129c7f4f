import type { Signal } from "@preact/signals";

/** One yes/no choice, its label beside the box (a comfortable touch target). */
export function Checkbox({ label, checked, help }: {
  label: string;
  checked: Signal<boolean>;
  /** What ticking it means, under the label. */
  help?: string;
}) {
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={checked.value}
        onChange={(event) => checked.value = event.currentTarget.checked}
      />
      <span>
        {label}
        {help && <span class="muted small block">{help}</span>}
      </span>
    </label>
  );
}
