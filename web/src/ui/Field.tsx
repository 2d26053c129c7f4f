import type { Signal } from "@preact/signals";
import { useId } from "preact/hooks";

type FieldProps = {
  label: string;
  /** The field's text lives in a signal owned by the page, so it survives failures and re-renders. */
  value: Signal<string>;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  readOnly?: boolean;
};

export function Field(
  { label, value, type = "text", autoComplete, required, maxLength, readOnly }: FieldProps,
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
        value={value}
        onInput={(event) => value.value = event.currentTarget.value}
      />
    </div>
  );
}
