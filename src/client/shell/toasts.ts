/** Toasts: the island's aura:* events told to the person, and every toast leaving after a while. */
import { $ } from "./dom.ts";

const TOAST_MS = 6000;

/** Something a toast offers to do; a toast with one stays until it is used or dismissed. */
interface ToastAction {
  label: string;
  run(): void;
}

export function toast(
  message: string,
  kind: "success" | "error" | "info" = "info",
  action?: ToastAction,
): void {
  const region = $("#toasts");
  if (!region) return;
  const el = document.createElement("div");
  el.className = `pointer-events-auto rounded-lg border px-4 py-2.5 text-sm shadow-lg ${kind === "error" ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100" : "border-slate-300 bg-white text-slate-900 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-100"}`;
  el.dataset.toast = kind;
  el.textContent = message;
  if (action) {
    el.dataset.expires = "never";
    el.setAttribute("role", "alert");
    const buttons = document.createElement("div");
    buttons.className = "mt-2 flex justify-end gap-2";
    const button = (label: string, run: () => void, strong: boolean) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = `rounded-md px-2.5 py-1 text-xs font-medium ${strong ? "bg-red-600 text-white hover:bg-red-700" : "hover:bg-black/5 dark:hover:bg-white/10"}`;
      b.textContent = label;
      b.addEventListener("click", () => {
        el.remove();
        run();
      });
      return b;
    };
    buttons.append(
      button("Keep it", () => {}, false),
      button(action.label, action.run, true),
    );
    el.append(buttons);
  }
  region.append(el);
}

/** Every toast leaves after a while, whether the server or this module added it. */
export function expireToasts(): void {
  const region = $("#toasts");
  if (!region) return;
  for (const el of region.children) {
    const item = el as HTMLElement;
    if (item.dataset.expires) continue;
    item.dataset.expires = "1";
    setTimeout(() => item.remove(), TOAST_MS);
  }
}

export function listenForToasts(): void {
  let offline = false;
  document.addEventListener("aura:offline", () => {
    if (!offline) toast("You are offline. Edits are kept in this browser and sent when you reconnect.");
    offline = true;
  });
  document.addEventListener("aura:saved", () => {
    if (offline) toast("Back online: your edits are saved.", "success");
    offline = false;
  });
  // The server closed the open file's live document for good (signed out, file gone, too large).
  document.addEventListener("aura:live-closed", (e) => {
    const detail = (e as CustomEvent<{ path?: string; message?: string; code?: number }>).detail ?? {};
    const { path, message, code } = detail;
    // Too large for the server, ever: offer a way out of the copy this browser keeps (and
    // would bring back on every reload), short of deleting text by hand.
    const stuck = code === 4413 || code === 1009;
    const editor = e.target as HTMLElement;
    toast(
      `${path ?? "This file"}: ${message ?? "disconnected"}`,
      "error",
      stuck
        ? {
            label: "Discard the local copy",
            run: () => editor.dispatchEvent(new CustomEvent("aura:discard-local")),
          }
        : undefined,
    );
  });
  document.addEventListener("aura:analyzed", (e) => {
    const { summary, count } = (e as CustomEvent<{ summary?: string; count?: number }>).detail ?? {};
    toast(
      `${summary ?? "Analysis done."} ${count ? `${count} ${count === 1 ? "finding is" : "findings are"} marked in the editor.` : "Nothing to report."}`,
    );
  });
  document.addEventListener("aura:compare-error", (e) => {
    toast(
      (e as CustomEvent<{ message?: string }>).detail?.message ?? "The diff could not be shown.",
      "error",
    );
  });
  document.addEventListener("aura:ai-error", (e) => {
    toast((e as CustomEvent<{ message?: string }>).detail?.message ?? "The AI request failed.", "error");
  });
}
