export type ToastKind = "success" | "error" | "info";

const TONE: Record<ToastKind, string> = {
  success:
    "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  info: "border-slate-300 bg-white text-slate-900 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-100",
};

/** One toast message; shell.js removes it after a few seconds. */
export function Toast({ kind, message }: { kind: ToastKind; message: string }) {
  return (
    <div
      class={`pointer-events-auto rounded-lg border px-4 py-2.5 text-sm shadow-lg ${TONE[kind]}`}
      data-toast={kind}
    >
      <span safe>{message}</span>
    </div>
  );
}

/** A toast delivered out of band: htmx appends it to the page's aria-live `#toasts` region. */
export function ToastPartial(props: { kind: ToastKind; message: string }) {
  return (
    <hx-partial hx-target="#toasts" hx-swap="beforeend">
      <Toast {...props} />
    </hx-partial>
  );
}
