import { useSignal } from "@preact/signals";
import { Button } from "./Button.tsx";

type ConfirmButtonProps = {
  /** The first button ("Remove"). */
  label: string;
  /** What will happen, asked before doing it ("Remove Ada from Northside Dental?"). */
  question: string;
  /** The button that does it ("Yes, remove"). */
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
};

/** A destructive action that asks once, in place, before it runs. */
export function ConfirmButton(
  { label, question, confirmLabel, busy, onConfirm }: ConfirmButtonProps,
) {
  const asking = useSignal(false);
  if (!asking.value) {
    return <Button variant="secondary" onClick={() => asking.value = true}>{label}</Button>;
  }
  return (
    <span class="row confirm">
      <span>{question}</span>
      <Button
        variant="danger"
        busy={busy}
        onClick={() => {
          asking.value = false;
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="secondary" onClick={() => asking.value = false}>Cancel</Button>
    </span>
  );
}
