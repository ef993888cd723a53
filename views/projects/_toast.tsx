/**
 * The live region outcomes are announced in. Sent again out of band (`oob`) with a message, it
 * shows it; the message fades by CSS alone (a transition from its @starting-style), no script.
 */
export function Toasts({ message, oob = false }: { message?: string | undefined; oob?: boolean }) {
  return (
    <div
      id="toasts"
      role="status"
      aria-live="polite"
      hx-swap-oob={oob ? "innerHTML" : undefined}
      class="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4 sm:bottom-6 sm:justify-end sm:px-6"
    >
      {message ? (
        <p
          class="invisible max-w-sm rounded-lg bg-slate-900 px-4 py-3 text-sm text-white opacity-0 shadow-lg transition-[opacity,visibility] delay-[4s] duration-700 starting:visible starting:opacity-100 dark:bg-slate-100 dark:text-slate-900"
          safe
        >
          {message}
        </p>
      ) : (
        ""
      )}
    </div>
  );
}
