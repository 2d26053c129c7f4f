import type { Signal } from "@preact/signals";
import { useId } from "preact/hooks";

type FieldProps = {
  label: string;
  /** The field's text lives in a signal owned by the page, so it survives failures and re-renders. */
  value: Signal<string>;
  type?: "text" | "email" | "password" | "tel" | "number" | "time" | "date" | "search";
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  readOnly?: boolean;
  /** Bounds of a number, time or date field (the browser refuses anything outside on submit). */
  min?: string | number;
  max?: string | number;
  placeholder?: string;
  /** The id of a <datalist> of suggestions. */
  list?: string;
  /** A short explanation under the field, read out with it. */
  help?: string;
};

export function Field(
  {
    label,
    value,
    type = "text",
    autoComplete,
    required,
    maxLength,
    readOnly,
    min,
    max,
    placeholder,
    list,
    help,
  }: FieldProps,
) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        // Preact 11 types <input> as one variant per type; a union of types matches none of them.
        type={type as "text"}
        autoComplete={autoComplete}
        required={required}
        maxLength={maxLength}
        readOnly={readOnly}
        min={min}
        max={max}
        placeholder={placeholder}
        list={list}
        aria-describedby={help ? `${id}-help` : undefined}
        inputMode={type === "number" ? "numeric" : undefined}
        value={value}
        onInput={(event) => value.value = event.currentTarget.value}
      />
      {help && <p id={`${id}-help`} class="muted small help">{help}</p>}
    </div>
  );
}
