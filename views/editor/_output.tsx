import { Button } from "../components/_button.tsx";

/**
 * The Run output panel under the editor, hidden until the first run. The shell
 * (src/client/shell.ts) streams a run's stdout and stderr into the log — stderr in its own
 * colour — and writes the outcome (exit code, time, failure) into the status.
 */
export function OutputPanel() {
  return (
    <section
      id="output"
      aria-label="Run output"
      hidden
      class="flex h-56 max-h-[45dvh] shrink-0 flex-col border-t border-slate-200 bg-white dark:border-ink-700 dark:bg-ink-900"
    >
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-1 dark:border-ink-700">
        <h2 class="text-xs font-semibold uppercase tracking-wide text-slate-500">Output</h2>
        <span
          data-run-status
          role="status"
          class="min-w-0 flex-1 truncate text-xs text-slate-600 data-[state=error]:text-red-600 data-[state=ok]:text-emerald-700 dark:text-slate-300 dark:data-[state=error]:text-red-400 dark:data-[state=ok]:text-emerald-400"
        ></span>
        <Button variant="ghost-danger" size="xs" data-run-stop hidden>
          Stop
        </Button>
        <Button variant="ghost" size="xs" data-run-close aria-label="Close the output panel">
          Close
        </Button>
      </div>
      <pre
        data-run-log
        role="log"
        tabindex="0"
        aria-label="Program output"
        class="min-h-0 flex-1 overflow-auto whitespace-pre-wrap break-words px-3 py-2 font-mono text-xs leading-5"
      ></pre>
    </section>
  );
}
