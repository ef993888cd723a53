import type { Skipped } from "../../src/features/context/indexer.ts";
import type { IndexSymbol } from "../../src/features/context/search.ts";
import type { ContextResult } from "../../src/features/context/service.ts";
import { allows, type Role } from "../../src/features/projects/access.ts";
import { Button, CloseButton } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Dialog } from "../components/_dialog.tsx";
import { inputClass } from "../components/_field.tsx";
import { projectPart, projectUrl } from "./urls.ts";

export interface IndexStatusProps {
  projectId: string;
  enabled: boolean;
  files: number;
  chunks: number;
  skipped: Skipped[];
  queued: number;
  csrfToken: string;
  /** Re-indexing is for editors and the owner; the switch, a setting, for the owner. */
  role: Role;
}

/** A link that opens `path` in the editor at `line` (and is a real link without JavaScript). */
function OpenAt({
  projectId,
  path,
  line,
  children: safeChildren,
}: {
  projectId: string;
  path: string;
  line: number;
  children: JSX.Element | JSX.Element[];
}) {
  const at = { file: path, line: String(line) };
  return (
    <a
      href={projectUrl(projectId, path, line)}
      hx-get={projectPart(projectId, "open", at)}
      hx-target="#editor-area"
      hx-swap="outerHTML"
      hx-include="#tab-state"
      hx-push-url={projectUrl(projectId, path, line)}
      data-open-at
      class="block rounded px-2 py-1.5 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none dark:hover:bg-ink-700 dark:focus:bg-ink-700"
    >
      {safeChildren}
    </a>
  );
}

/** The project search panel: a query box (Ctrl/Cmd-Shift-F), its results, and the index's state. */
export function SearchPanel(props: IndexStatusProps) {
  const { projectId } = props;
  return (
    <div class="flex h-full flex-col" data-search-panel>
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700">
        <h2 class="flex-1 text-sm font-semibold">Search the project</h2>
        <CloseButton label="Close search" data-panel-close />
      </div>
      <form
        aria-label="Search the project"
        class="px-3 pt-3"
        action={projectPart(projectId, "search/results")}
        hx-get={projectPart(projectId, "search/results")}
        hx-target="#search-results"
      >
        <input
          type="search"
          name="q"
          data-search-q
          hx-get={projectPart(projectId, "search/results")}
          hx-trigger="input changed delay:250ms"
          hx-target="#search-results"
          autofocus
          required
          maxlength="500"
          placeholder="What does the code do? e.g. total of an invoice"
          aria-label="Search the project's code"
          class={`${inputClass("sm")} w-full`}
        />
      </form>
      <div id="search-results" class="min-h-0 flex-1 overflow-y-auto p-2" aria-live="polite">
        <p class="px-1 text-xs text-slate-500">
          Finds functions and classes by name and by meaning (keyword and semantic search combined).
        </p>
      </div>
      <IndexStatus {...props} />
    </div>
  );
}

/** Results of a project search: each chunk with its place, opening the file at its first line. */
export function SearchResults({
  projectId,
  query,
  results,
}: {
  projectId: string;
  query: string;
  results: ContextResult[];
}) {
  if (!results.length)
    return (
      <p class="px-1 text-sm text-slate-500">
        Nothing found for “<span safe>{query}</span>”.
      </p>
    );
  return (
    <ol class="space-y-1" aria-label="Search results">
      {results.map((r) => {
        const name = [r.class_name, r.function_name].filter(Boolean).join(".");
        const snippet = r.code_snippet.split("\n").slice(0, 6).join("\n");
        return (
          <li>
            <OpenAt projectId={projectId} path={r.filename} line={r.line_start}>
              <div class="flex items-baseline gap-2 text-xs">
                <span class="font-mono font-medium text-aura-700 dark:text-aura-400" safe>
                  {name || r.filename}
                </span>
                <span class="truncate text-slate-500" safe>
                  {`${r.filename}:${r.line_start}`}
                </span>
              </div>
              <pre
                class="mt-1 overflow-hidden text-[11px] leading-snug text-slate-600 dark:text-slate-300"
                safe
              >
                {snippet}
              </pre>
            </OpenAt>
          </li>
        );
      })}
    </ol>
  );
}

/** What is indexed, what was left out and why, the re-index button with its progress, and the switch. */
export function IndexStatus(props: IndexStatusProps) {
  const { projectId, enabled, files, chunks, skipped, queued, csrfToken, role } = props;
  return (
    <section
      id="index-status"
      class="space-y-2 border-t border-slate-200 px-3 py-2 text-xs text-slate-600 dark:border-ink-700 dark:text-slate-300"
      aria-label="Code index"
    >
      <p data-index-summary>
        {enabled
          ? `Indexed: ${files} ${files === 1 ? "file" : "files"}, ${chunks} ${chunks === 1 ? "chunk" : "chunks"}${queued ? ` · ${queued} waiting` : ""}`
          : "Indexing is off for this project: search and the assistant's project context are unavailable."}
      </p>
      {skipped.length ? (
        <details>
          <summary class="cursor-pointer">
            {skipped.length} {skipped.length === 1 ? "file" : "files"} left out
          </summary>
          <ul class="mt-1 max-h-32 overflow-y-auto font-mono">
            {skipped.slice(0, 200).map((s) => (
              <li safe>{`${s.path} — ${s.reason}`}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <div class="flex items-center gap-2">
        {enabled && allows(role, "editor") ? (
          <>
            <Button size="xs" data-reindex={projectPart(projectId, "index")}>
              Re-index
            </Button>
            <Button size="xs" data-reindex-cancel hidden>
              Cancel
            </Button>
            <progress data-reindex-progress class="h-2 flex-1" max="1" value="0" hidden></progress>
          </>
        ) : null}
        {role === "owner" ? (
          <form
            class="ml-auto"
            hx-post={projectPart(projectId, "index/switch")}
            hx-target="#index-status"
            hx-swap="outerHTML"
          >
            <CsrfField token={csrfToken} />
            <input type="hidden" name="enabled" value={enabled ? "off" : "on"} />
            <Button type="submit" size="xs">
              {enabled ? "Turn indexing off" : "Turn indexing on"}
            </Button>
          </form>
        ) : null}
      </div>
      <p data-reindex-note role="status" class="empty:hidden"></p>
    </section>
  );
}

/** The "Go to" dialog (Ctrl/Cmd-P): files and symbols of the project, narrowed as you type. */
export function GotoDialog({ projectId }: { projectId: string }) {
  return (
    <Dialog id="goto-dialog" size="lg" class="mt-[12vh]" closedby="any" aria-label="Go to a file or symbol">
      <input
        type="search"
        name="q"
        data-goto-q
        autocomplete="off"
        placeholder="Go to a file or symbol…"
        aria-label="File or symbol name"
        hx-get={projectPart(projectId, "goto")}
        hx-trigger="input changed delay:120ms, focus once"
        hx-target="#goto-results"
        class="w-full border-b border-slate-200 bg-transparent px-3 py-2.5 text-sm focus:outline-none dark:border-ink-700"
      />
      <div id="goto-results" class="max-h-[50vh] overflow-y-auto p-1"></div>
    </Dialog>
  );
}

/** Matches of the Go to dialog: symbols first (they say more), then files. */
export function GotoResults({
  projectId,
  symbols,
  files,
}: {
  projectId: string;
  symbols: IndexSymbol[];
  files: string[];
}) {
  if (!symbols.length && !files.length) return <p class="px-2 py-1.5 text-sm text-slate-500">No matches.</p>;
  return (
    <ul aria-label="Matches">
      {symbols.map((s) => (
        <li>
          <OpenAt projectId={projectId} path={s.path} line={s.line}>
            <span class="flex items-baseline gap-2 text-sm">
              <span class="w-14 shrink-0 text-[11px] text-slate-500">{s.kind}</span>
              <span class="font-mono" safe>
                {s.name}
              </span>
              <span class="ml-auto truncate text-xs text-slate-500" safe>
                {`${s.path}:${s.line}`}
              </span>
            </span>
          </OpenAt>
        </li>
      ))}
      {files.map((path) => (
        <li>
          <OpenAt projectId={projectId} path={path} line={1}>
            <span class="flex items-baseline gap-2 text-sm">
              <span class="w-14 shrink-0 text-[11px] text-slate-500">file</span>
              <span class="truncate font-mono" safe>
                {path}
              </span>
            </span>
          </OpenAt>
        </li>
      ))}
    </ul>
  );
}
