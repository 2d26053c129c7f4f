import type { ComponentChildren } from "preact";

export type RadioChoice = {
  value: string;
  label: string;
  /** More about the choice, shown under its label (and part of its accessible description). */
  details?: ComponentChildren;
};

type RadioGroupProps = {
  legend: string;
  /** Groups of radios on one page need distinct names. */
  name: string;
  value: string;
  choices: RadioChoice[];
  onChange: (value: string) => void;
};

/** One choice out of a few that each need a line of explanation (a select cannot show it). */
export function RadioGroup({ legend, name, value, choices, onChange }: RadioGroupProps) {
  return (
    <fieldset class="field radios">
      <legend>{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} class="radio">
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={choice.value === value}
            onChange={() => onChange(choice.value)}
          />
          <span>
            <span class="radio-label">{choice.label}</span>
            {choice.details && <span class="muted small block">{choice.details}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
