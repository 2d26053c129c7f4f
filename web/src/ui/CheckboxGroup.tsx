import type { Choice } from "./Select.tsx";

type CheckboxGroupProps = {
  legend: string;
  choices: Choice[];
  /** The checked values, in the order they were checked. */
  selected: string[];
  onChange: (selected: string[]) => void;
};

/** Several choices out of a short list (a multi-select that works with a thumb). */
export function CheckboxGroup({ legend, choices, selected, onChange }: CheckboxGroupProps) {
  return (
    <fieldset class="field checks">
      <legend>{legend}</legend>
      {choices.map(({ value, label }) => (
        <label key={value} class="check">
          <input
            type="checkbox"
            checked={selected.includes(value)}
            onChange={(event) =>
              onChange(
                event.currentTarget.checked
                  ? [...selected, value]
                  : selected.filter((v) => v !== value),
              )}
          />
          {label}
        </label>
      ))}
    </fieldset>
  );
}
