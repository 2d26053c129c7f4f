import { useId } from "preact/hooks";

export type Choice = { value: string; label: string };

type SelectProps = {
  label: string;
  value: string;
  /** Plain strings are both value and label. */
  choices: (string | Choice)[];
  onChange: (value: string) => void;
  disabled?: boolean;
  /** A short explanation under the field, read out with it. */
  help?: string;
};

/** A labelled native <select>: the phone's own picker, keyboard and screen-reader support for free. */
export function Select({ label, value, choices, onChange, disabled, help }: SelectProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={help ? `${id}-help` : undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {choices.map((choice) => {
          const { value, label } = typeof choice === "string"
            ? { value: choice, label: choice }
            : choice;
          return <option key={value} value={value}>{label}</option>;
        })}
      </select>
      {help && <p id={`${id}-help`} class="muted small help">{help}</p>}
    </div>
  );
}
