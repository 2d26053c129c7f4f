import { dismissToast, type Toast, toasts } from "./toast.ts";

/**
 * Where toast() shows up. The two live regions are always there, empty until needed, so screen
 * readers announce what is added: confirmations politely, failures at once.
 */
export function Toasts() {
  const shown = toasts.value;
  return (
    <div class="toasts">
      <div role="status">{shown.filter((t) => t.tone === "success").map(ToastItem)}</div>
      <div role="alert">{shown.filter((t) => t.tone === "error").map(ToastItem)}</div>
    </div>
  );
}

function ToastItem({ id, tone, message }: Toast) {
  return (
    <p key={id} class={`toast toast-${tone}`}>
      <span>{message}</span>
      <button
        type="button"
        class="btn btn-link"
        aria-label="Dismiss"
        onClick={() => dismissToast(id)}
      >
        ×
      </button>
    </p>
  );
}
