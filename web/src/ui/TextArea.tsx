import type { Signal } from "@preact/signals";
import { useId } from "preact/hooks";

type TextAreaProps = {
  label: string;
  /** Owned by the page, like Field's: what was typed survives a failed save. */
  value: Signal<string>;
  rows?: number;
  required?: boolean;
  maxLength?: number;
  help?: string;
};

/** A labelled multi-line text field. */
export function TextArea({ label, value, rows = 3, required, maxLength, help }: TextAreaProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        required={required}
        maxLength={maxLength}
        aria-describedby={help ? `${id}-help` : undefined}
        value={value}
        onInput={(event) => value.value = event.currentTarget.value}
      />
      {help && <p id={`${id}-help`} class="muted small help">{help}</p>}
    </div>
  );
}
