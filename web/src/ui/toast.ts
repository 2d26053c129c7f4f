import { signal } from "@preact/signals";

export type Toast = { id: number; tone: "success" | "error"; message: string };

/** The toasts on screen, oldest first (shown by Toasts in the shell). */
export const toasts = signal<Toast[]>([]);

let lastId = 0;

/**
 * Tells the person that something they did was saved, or failed and why, wherever they are on
 * the page. A confirmation goes after 5 seconds; a failure stays 10 (both can be dismissed).
 */
export function toast(message: string, tone: Toast["tone"] = "success") {
  const id = ++lastId;
  toasts.value = [...toasts.value, { id, tone, message }];
  setTimeout(() => dismissToast(id), tone === "error" ? 10_000 : 5_000);
}

export function dismissToast(id: number) {
  toasts.value = toasts.value.filter((shown) => shown.id !== id);
}
