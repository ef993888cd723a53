import { assetUrl, grammarPreloads, modulePreloads } from "../../src/assets.ts";
import type { TreeNode } from "../../src/features/editor/tree.ts";
import { Badge } from "../components/_badge.tsx";
import { Button } from "../components/_button.tsx";
import { BaseLayout } from "../layouts/base.tsx";
import { TreeDialogs } from "./_dialogs.tsx";
import { EditorArea, type EditorAreaProps } from "./_editor-area.tsx";
import { OutputPanel } from "./_output.tsx";
import { PreviewButton } from "./_preview.tsx";
import { GotoDialog } from "./_search.tsx";
import { ShareDialog } from "./_share.tsx";
import { TerminalButton } from "./_terminal.tsx";
import { Toast } from "./_toast.tsx";
import { TreeTransfer, UploadProgress } from "./_transfer.tsx";
import { FileTree } from "./_tree.tsx";

export interface EditorPageProps extends EditorAreaProps {
  projectName: string;
  nodes: TreeNode[];
  csrfToken: string;
  /** A message for the first paint, e.g. a ?file= that does not exist. */
  notice?: string | undefined;
  /** A web project's live preview: instead of Run (HTML and CSS projects) or beside it. */
  preview?: "only" | "also" | undefined;
  /** The project came from a git remote: the header offers the Source Control panel. */
  git?: boolean | undefined;
}

/**
 * The IDE for one project: file tree (a popover drawer on a phone), tabs and editor, a side
 * panel for history, and the status bar the editor island writes to. A viewer's page has no
 * Run, no assistant, no file actions, and a read-only editor.
 */
export function EditorPage(props: EditorPageProps) {
  const { projectId, projectName, nodes, file, csrfToken, notice, role, preview, git } = props;
  const viewer = role === "viewer";
  return (
    <BaseLayout title={projectName} csrfToken={csrfToken} bodyClass="h-dvh overflow-hidden">
      {/* Module scripts are deferred; the preloads fetch the island's static chunks and the open
          file's grammar alongside it, instead of one after the other. */}
      {[
        ...new Set([
          ...modulePreloads("editor.js"),
          ...modulePreloads("shell.js"),
          ...grammarPreloads(file?.language ?? ""),
        ]),
      ].map((href) => (
        <link rel="modulepreload" href={href} />
      ))}
      <script type="module" src={assetUrl("shell.js")}></script>
      <script type="module" src={assetUrl("editor.js")}></script>
      <div class="flex h-dvh flex-col" data-status-scope {...{ "hx-indicator:inherited": "#spinner" }}>
        <header class="flex items-center gap-1 border-b sm:gap-2 border-slate-200 px-2 py-1.5 sm:px-3 dark:border-ink-700">
          <Button
            variant="ghost"
            size="sm"
            class="md:hidden"
            commandfor="sidebar"
            command="toggle-popover"
            aria-label="Files"
          >
            <svg class="size-5" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
            </svg>
          </Button>
          <a
            href="/projects"
            class="flex shrink-0 items-center gap-1.5 text-sm font-semibold"
            title="All projects"
            aria-label="All projects"
          >
            <img src={assetUrl("favicon.svg")} alt="" width="20" height="20" />
            <span class="hidden sm:inline">Aura</span>
          </a>
          <span class="text-slate-400 max-sm:hidden" aria-hidden="true">
            /
          </span>
          <h1 class="min-w-0 flex-1 truncate text-sm font-medium" safe>
            {projectName}
          </h1>
          <span
            id="spinner"
            class="htmx-indicator size-4 shrink-0 animate-spin rounded-full border-2 border-aura-500 border-t-transparent"
            role="progressbar"
            aria-label="Loading"
          ></span>
          {/* The people with the open file open, drawn by the editor island (presence.ts). */}
          <ul id="presence" aria-label="People here" class="mr-1 flex items-center gap-1"></ul>
          {viewer ? (
            <>
              <Badge title="You can read this project; its owner can let you edit it">View only</Badge>
              {preview ? <PreviewButton projectId={projectId} /> : null}
            </>
          ) : (
            <>
              {preview ? <PreviewButton projectId={projectId} /> : null}
              {preview === "only" ? null : (
                <Button
                  variant="ghost-success"
                  size="sm"
                  data-run
                  data-project-id={projectId}
                  title="Run the open file (Ctrl+Enter)"
                  aria-keyshortcuts="Control+Enter Meta+Enter"
                >
                  <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                    <path d="M6 4.5v11l9-5.5z" />
                  </svg>
                  <span class="max-sm:sr-only">Run</span>
                </Button>
              )}
              <TerminalButton projectId={projectId} />
              <Button
                variant="ghost"
                size="sm"
                hx-get={`/projects/${encodeURIComponent(projectId)}/ai`}
                hx-target="#panel"
                hx-swap="innerHTML"
                title="Ask the assistant about this project"
              >
                <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                  <path d="M10 2l1.8 4.7L16.5 8.5l-4.7 1.8L10 15l-1.8-4.7L3.5 8.5l4.7-1.8zM15.5 13l.9 2.1 2.1.9-2.1.9-.9 2.1-.9-2.1-2.1-.9 2.1-.9z" />
                </svg>
                <span class="max-sm:sr-only">Assistant</span>
              </Button>
            </>
          )}
          <Button
            variant="ghost"
            size="sm"
            commandfor="share-dialog"
            command="show-modal"
            aria-label="Share"
            hx-get={`/projects/${encodeURIComponent(projectId)}/members`}
            hx-target="#share-body"
            title="See who can use this project; its owner can invite people"
          >
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M7 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5 9a5 5 0 0 1 10 0zm12-8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zm-1 2a4 4 0 0 1 5 6h-4a6 6 0 0 0-1-6z" />
            </svg>
            <span class="hidden sm:inline">Share</span>
          </Button>
          {git ? (
            <Button
              variant="ghost"
              size="sm"
              data-git-open
              hx-get={`/projects/${encodeURIComponent(projectId)}/git`}
              hx-target="#panel"
              hx-swap="innerHTML"
              title="Source control: changes, commit, push and pull"
            >
              <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path d="M6 3a2.5 2.5 0 0 1 1 4.8v4.4a2.5 2.5 0 1 1-2 0V7.8A2.5 2.5 0 0 1 6 3zm8 0a2.5 2.5 0 0 1 1 4.8V9a3 3 0 0 1-3 3H9v-2h3a1 1 0 0 0 1-1V7.8A2.5 2.5 0 0 1 14 3z" />
              </svg>
              <span class="max-sm:sr-only">Git</span>
            </Button>
          ) : null}
          <Button
            variant="ghost"
            size="sm"
            data-search-open
            hx-get={`/projects/${encodeURIComponent(projectId)}/search`}
            hx-target="#panel"
            hx-swap="innerHTML"
            title="Search the project's code (Ctrl+Shift+F); go to a file or symbol with Ctrl+P"
            aria-keyshortcuts="Control+Shift+F Meta+Shift+F"
          >
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M8.5 2a6.5 6.5 0 0 1 5.2 10.4l4 4-1.4 1.4-4-4A6.5 6.5 0 1 1 8.5 2zm0 2a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9z" />
            </svg>
            <span class="max-sm:sr-only">Search</span>
          </Button>
          {/* On a phone the logo is the way back to the projects (it links there). */}
          <Button href="/projects" variant="ghost" size="sm" class="max-sm:hidden">
            Projects
          </Button>
        </header>
        <div class="relative flex min-h-0 flex-1">
          <aside
            id="sidebar"
            popover="auto"
            aria-label="Project files"
            class="m-0 h-dvh w-72 max-w-[85vw] flex-col border-r border-slate-200 bg-white p-0 text-inherit shadow-xl open:flex md:static md:flex md:h-auto md:w-60 md:shadow-none lg:w-64 dark:border-ink-700 dark:bg-ink-900 [&:popover-open]:flex"
          >
            <div class="flex items-center gap-1 px-2 py-2">
              <h2 class="flex-1 px-1 text-xs font-semibold uppercase tracking-wide text-slate-500">Files</h2>
              {viewer ? null : (
                <Button
                  variant="ghost"
                  size="sm"
                  commandfor="create-dialog"
                  command="show-modal"
                  data-kind="file"
                >
                  New…
                </Button>
              )}
              <TreeTransfer projectId={projectId} role={role} />
            </div>
            <UploadProgress />
            <FileTree projectId={projectId} nodes={nodes} current={file?.path} role={role} />
          </aside>
          <div class="flex min-h-0 min-w-0 flex-1 flex-col">
            <EditorArea {...props} />
            {viewer && !preview ? null : <OutputPanel />}
          </div>
          <aside
            id="panel"
            aria-label="Side panel"
            class="fixed inset-0 z-20 bg-white empty:hidden md:static md:w-96 md:border-l md:border-slate-200 dark:bg-ink-900 md:dark:border-ink-700"
          ></aside>
        </div>
        {/* As tall empty as filled (border, py-1 and one line of text-xs), so the editor does not shrink when the island writes to it. */}
        <footer class="flex min-h-[calc(1.5rem+1px)] items-center gap-4 border-t border-slate-200 bg-slate-50 px-3 py-1 text-xs text-slate-600 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-300">
          <span class="shrink-0 whitespace-nowrap" data-status-language>
            {file ? "" : "No file"}
          </span>
          <span class="shrink-0 whitespace-nowrap" data-status-cursor></span>
          {/* One line on a phone too: a long message is cut here and said whole in a toast. */}
          <span
            data-status-save
            role="status"
            class="ml-auto min-w-0 truncate data-[state=error]:text-red-600 data-[state=offline]:text-amber-600"
          ></span>
        </footer>
      </div>
      <div
        id="toasts"
        aria-live="polite"
        class="pointer-events-none fixed right-3 bottom-9 z-50 flex max-w-[calc(100vw-1.5rem)] flex-col items-end gap-2"
      >
        {notice ? <Toast kind="info" message={notice} /> : null}
      </div>
      {viewer ? null : <TreeDialogs projectId={projectId} csrfToken={csrfToken} />}
      <ShareDialog />
      <GotoDialog projectId={projectId} />
    </BaseLayout>
  );
}
