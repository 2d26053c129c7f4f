import type { Signal } from "@preact/signals";
import { useId } from "preact/hooks";

type TextAreaProps = {
  label: string;
  /** Owned by the page, like Field's: what was typed survives a failed save. */
  value: Signal<string>;
  rows?: number;
  required?: boolean;
  /** The most the database accepts: typing stops there, and a counter shows how close it is. */
  maxLength?: number;
  help?: string;
};

/** A labelled multi-line text field. */
export function TextArea({ label, value, rows = 3, required, maxLength, help }: TextAreaProps) {
  const id = useId();
  const length = value.value.length;
  const described = [help && `${id}-help`, maxLength && `${id}-count`].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        required={required}
        maxLength={maxLength}
        aria-describedby={described || undefined}
        value={value}
        onInput={(event) => value.value = event.currentTarget.value}
      />
      {help && <p id={`${id}-help`} class="muted small help">{help}</p>}
      {maxLength && (
        <p
          id={`${id}-count`}
          class={`small help ${length > maxLength ? "warning-text" : "muted"}`}
        >
          {length} of at most {maxLength} characters
        </p>
      )}
    </div>
  );
}
