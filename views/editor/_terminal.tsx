import { assetUrl } from "../../src/assets.ts";
import type { SyncOutcome } from "../../src/features/terminal/model.ts";
import { Button, CloseButton } from "../components/_button.tsx";

export interface TerminalPanelProps {
  projectId: string;
  terminalId: string;
  /** The built terminal module (xterm and its glue), loaded only once this panel is shown. */
  moduleUrl: string;
}

const terminalPath = (projectId: string, terminalId: string) =>
  `/projects/${encodeURIComponent(projectId)}/terminals/${encodeURIComponent(terminalId)}`;

/**
 * The terminal in the side panel: the shell's screen, drawn by the lazily loaded terminal module
 * (src/client/terminal/), which attaches to the terminal's socket and re-attaches when the
 * connection drops. Sync brings the files the shell wrote (and its deletions) into the project;
 * Close ends the shell.
 */
export function TerminalPanel({ projectId, terminalId, moduleUrl }: TerminalPanelProps) {
  const path = terminalPath(projectId, terminalId);
  return (
    <div
      class="flex h-full flex-col"
      data-terminal
      data-terminal-socket={`/api/v1${path}`}
      data-terminal-module={moduleUrl}
    >
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700">
        <h2 class="min-w-0 flex-1 truncate text-sm font-semibold">Terminal</h2>
        <span
          data-terminal-status
          role="status"
          class="text-xs text-slate-500 data-[state=error]:text-red-600 dark:text-slate-400 dark:data-[state=error]:text-red-400"
        ></span>
        <Button
          variant="ghost"
          size="xs"
          hx-post={`${path}/sync`}
          hx-target="#terminal-sync"
          hx-swap="innerHTML"
          title="Store the files the shell changed into the project and delete those it deleted (files changed in the project meanwhile are left alone)"
        >
          Sync to project
        </Button>
        <CloseButton
          label="Close the terminal"
          hx-delete={path}
          hx-target="#panel"
          hx-swap="innerHTML"
          title="End the shell and everything it runs"
        />
      </div>
      <div id="terminal-sync" aria-live="polite" class="empty:hidden"></div>
      <div data-terminal-screen class="min-h-0 flex-1 bg-[var(--editor-bg)] py-1 pl-2"></div>
    </div>
  );
}

const files = (count: number) => `${count} file${count === 1 ? "" : "s"}`;

/** The summary's first line: how many files a sync stored and deleted. */
function syncDone({ written, deleted }: SyncOutcome): string {
  if (written.length === 0 && deleted.length === 0) return "Nothing new to bring into the project.";
  if (deleted.length === 0) return `${files(written.length)} stored in the project.`;
  if (written.length === 0) return `${files(deleted.length)} deleted from the project.`;
  return `${files(written.length)} stored in the project, ${files(deleted.length)} deleted from it.`;
}

/**
 * What a sync did, in the panel: how many files it wrote and deleted, and the conflicts left
 * for the person.
 */
export function SyncSummary({ outcome }: { outcome: SyncOutcome }) {
  const { conflicts, skipped } = outcome;
  return (
    <div class="space-y-1 border-b border-slate-200 px-3 py-2 text-xs dark:border-ink-700" data-sync-summary>
      <p safe>{syncDone(outcome)}</p>
      {conflicts.length > 0 ? (
        <div class="text-amber-700 dark:text-amber-400" data-sync-conflicts>
          <p>
            Changed in the project meanwhile, so neither written nor deleted (copy what you need by hand):
          </p>
          <ul class="list-disc pl-5 font-mono">
            {conflicts.map((c) => (
              <li safe>{c.path}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {skipped.length > 0 ? (
        <ul class="list-disc pl-5 text-slate-500 dark:text-slate-400">
          {skipped.map((s) => (
            <li>
              <span class="font-mono" safe>
                {s.path}
              </span>
              : <span safe>{s.reason}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The header's Terminal button: opens the caller's terminal of this project (or a new one) in the
 * panel. It names the terminal module so the shell can fetch it while the server starts the shell.
 */
export function TerminalButton({ projectId }: { projectId: string }) {
  return (
    <Button
      variant="ghost"
      size="sm"
      // Not on a phone: a shell wants a keyboard, and the header's room goes to the title.
      class="max-sm:hidden"
      hx-post={`/projects/${encodeURIComponent(projectId)}/terminals`}
      hx-target="#panel"
      hx-swap="innerHTML"
      data-terminal-open={assetUrl("terminal.js")}
      title="A shell in the sandbox with the project's files"
    >
      <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path d="M3 4h14a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zm1 2v8h12V6zm1.3 1.3 1.4-1.4L10.8 10l-4.1 4.1-1.4-1.4L8 10zM11 12h4v1.5h-4z" />
      </svg>
      <span class="max-sm:sr-only">Terminal</span>
    </Button>
  );
}
