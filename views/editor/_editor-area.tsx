import { highlightLines } from "../../src/features/editor/code.ts";
import { encodeTabs } from "../../src/features/editor/tabs.ts";
import type { OpenFile } from "../../src/features/editor/workspace.ts";
import type { Role } from "../../src/features/projects/access.ts";
import { BinaryFile, rawUrl } from "./_transfer.tsx";
import { lineAnchor, projectPart, projectUrl } from "./urls.ts";

export interface EditorAreaProps {
  projectId: string;
  file?: OpenFile | undefined;
  tabs: string[];
  /** Whether an AI model is configured; without one the island never asks for completions. */
  ai: boolean;
  /** The viewer's role in the project: a viewer's editor is read-only and has no AI actions. */
  role: Role;
  /** Open with the cursor on this line (1-based), scrolled into view. */
  line?: number | undefined;
  /** Who is looking: the others see this name (and a colour from the id) at your cursor. */
  user?: { id: string; name: string } | undefined;
}

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);
/** A button at the end of the tab bar, as tall as the tabs. */
const TAB_BAR_BUTTON =
  "shrink-0 border-l border-slate-200 px-3 text-sm text-slate-600 hover:bg-slate-100 dark:border-ink-700 dark:text-slate-300 dark:hover:bg-ink-700";

function Tab({
  projectId,
  path,
  active,
  tabs,
  current,
}: {
  projectId: string;
  path: string;
  active: boolean;
  tabs: string[];
  current: string | undefined;
}) {
  // Closing the open tab opens its neighbour; closing another keeps the open file.
  const i = tabs.indexOf(path);
  const next = active ? (tabs[i + 1] ?? tabs[i - 1]) : current;
  const open = (file: string) => ({
    "hx-target": "#editor-area",
    "hx-swap": "outerHTML",
    "hx-include": "#tab-state",
    "hx-push-url": projectUrl(projectId, file),
  });
  return (
    <li
      class={`group/tab flex max-w-56 items-center border-r border-slate-200 text-sm dark:border-ink-700 ${active ? "bg-white dark:bg-ink-900" : "bg-slate-50 text-slate-500 dark:bg-ink-800 dark:text-slate-400"}`}
    >
      <a
        href={projectUrl(projectId, path)}
        aria-current={active ? "page" : undefined}
        title={path}
        class="truncate py-2 pr-1 pl-3 aria-[current=page]:font-medium aria-[current=page]:text-slate-900 dark:aria-[current=page]:text-white"
        hx-get={projectPart(projectId, "open", { file: path })}
        {...open(path)}
        safe
      >
        {baseName(path)}
      </a>
      {tabs.length > 1 ? (
        <button
          type="button"
          class="mr-1 rounded p-0.5 text-slate-400 hover:bg-slate-200 hover:text-slate-700 dark:hover:bg-ink-700"
          aria-label={`Close ${path}`}
          hx-get={projectPart(projectId, "open", { file: next ?? "", close: path })}
          {...open(next ?? "")}
          hx-push-url={active ? projectUrl(projectId, next) : "false"}
        >
          <svg class="size-3.5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
            <path d="m6 5 4 4 4-4 1 1-4 4 4 4-1 1-4-4-4 4-1-1 4-4-4-4z" />
          </svg>
        </button>
      ) : null}
    </li>
  );
}

/**
 * The open file as CodeMirror draws it, made on the server so the code is readable before any
 * script runs: the same `.cm-editor > .cm-scroller > .cm-gutters + .cm-content > .cm-line`
 * structure, the same metrics (app.css, `.cm-static`) and the same `tok-*` highlighting. The
 * gutters carry hidden spacers as CodeMirror's do ("9…9" for the widest line number, "›" for the
 * fold gutter), so the text starts at the same x. The island mounts CodeMirror beside it and
 * removes this copy once its own has rendered (mount.ts).
 */
function StaticCode({ file, line }: { file: OpenFile; line: number | undefined }) {
  const lines = highlightLines(file.path, file.language, file.content);
  let widest = 9;
  while (widest < lines.length) widest = widest * 10 + 9;
  const active = Math.min(Math.max(line ?? 1, 1), lines.length);
  return (
    <div class="cm-editor cm-static" data-static-editor>
      <div class="cm-scroller">
        <div class="cm-gutters cm-gutters-before" aria-hidden="true">
          <div class="cm-gutter cm-lineNumbers">
            <div class="cm-gutterElement cm-static-spacer">{widest}</div>
            {lines.map((_, i) => (
              <div class={i + 1 === active ? "cm-gutterElement cm-activeLineGutter" : "cm-gutterElement"}>
                {i + 1}
              </div>
            ))}
          </div>
          <div class="cm-gutter cm-foldGutter">
            <div class="cm-gutterElement cm-static-spacer">
              <span>›</span>
            </div>
          </div>
        </div>
        <div class="cm-content">
          {lines.map((safeLineHtml, i) => (
            // An empty line holds a <br>, as CodeMirror's do, so it keeps its height.
            <div
              class={i + 1 === active ? "cm-line cm-activeLine" : "cm-line"}
              id={line !== undefined && i + 1 === active ? lineAnchor(active) : undefined}
            >
              {safeLineHtml === "" ? <br /> : safeLineHtml}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/**
 * The open-file tabs and the editor island for one file. Rendered inside the page and alone as
 * the "open file" fragment; `#tab-state` carries the tab list into the next request. The island
 * starts from the live document's state (`data-doc-state`, base64) and keys what the browser
 * keeps by `data-doc-id`; the textarea holds the same text for anything that reads the page.
 */
export function EditorArea({ projectId, file, tabs, ai: configured, role, line, user }: EditorAreaProps) {
  const active = file?.path;
  const ai = configured && role !== "viewer";
  return (
    <section id="editor-area" class="flex min-h-0 min-w-0 flex-1 flex-col" aria-label="Editor">
      <div id="tab-state" hidden>
        <input type="hidden" name="tabs" value={encodeTabs(tabs)} />
        <input type="hidden" name="current" value={active ?? ""} />
      </div>
      <div class="flex items-stretch border-b border-slate-200 bg-slate-50 dark:border-ink-700 dark:bg-ink-800">
        <nav aria-label="Open files" class="min-w-0 flex-1 overflow-x-auto">
          <ul class="flex">
            {tabs.map((path) => (
              <Tab projectId={projectId} path={path} active={path === active} tabs={tabs} current={active} />
            ))}
          </ul>
        </nav>
        {file && ai && !file.binary ? (
          <button
            type="button"
            data-analyze="review"
            title="Ask the AI to review this file; findings appear as marks in the editor"
            class={TAB_BAR_BUTTON}
          >
            Review
          </button>
        ) : null}
        {file ? (
          <a
            href={rawUrl(projectId, file.path)}
            download={file.path.split("/").at(-1)}
            class={`${TAB_BAR_BUTTON} inline-flex items-center`}
            title="Download this file"
          >
            Download
          </a>
        ) : null}
        {file && !file.binary ? (
          <button
            type="button"
            class={TAB_BAR_BUTTON}
            hx-get={projectPart(projectId, "history", { file: file.path })}
            hx-target="#panel"
            hx-swap="innerHTML"
          >
            History
          </button>
        ) : null}
      </div>
      {file?.binary ? (
        <BinaryFile projectId={projectId} path={file.path} {...file.binary} />
      ) : file ? (
        <div
          class="relative min-h-0 flex-1 overflow-hidden [&_.cm-editor]:h-full"
          data-editor
          data-project={projectId}
          data-path={file.path}
          data-language={file.language}
          data-ai={ai ? undefined : "off"}
          data-role={role}
          data-line={line ? String(line) : undefined}
          data-doc-id={file.docId}
          data-doc-state={file.docState}
          data-user-id={user?.id}
          data-user-name={user?.name}
        >
          {/* A newline right after <textarea> is dropped by the HTML parser; this one keeps the file's own. */}
          <textarea hidden safe>{`\n${file.content}`}</textarea>
          <StaticCode file={file} line={line} />
        </div>
      ) : (
        <div class="flex flex-1 items-center justify-center p-8 text-center text-slate-500">
          <p>
            {role === "viewer"
              ? "This project has no files yet."
              : "This project has no files yet. Create one with “New file”."}
          </p>
        </div>
      )}
    </section>
  );
}
