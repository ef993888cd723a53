import { Button, CloseButton } from "../components/_button.tsx";

export interface PreviewPanelProps {
  projectId: string;
  /** The page shown: the open HTML file, else index.html. */
  page: string;
  /** The page's preview URL, token included (on PREVIEW_ORIGIN when set). */
  src: string;
  /** Where preview URLs of this project start (`…/preview/{id}/`); the shell builds the next ones from it. */
  base: string;
  /** The server-sent events that push changes and fresh tokens. */
  eventsUrl: string;
}

/**
 * The live preview of a web project in the side panel: the page in a sandboxed frame (an opaque
 * origin, whatever the server's headers), reloaded by the shell (src/client/shell/preview.ts)
 * when any file of the project changes; the page's console goes to the Output panel.
 */
export function PreviewPanel({ projectId, page, src, base, eventsUrl }: PreviewPanelProps) {
  return (
    <div
      class="flex h-full flex-col"
      data-preview
      data-project-id={projectId}
      data-preview-page={page}
      data-preview-base={base}
      data-preview-events={eventsUrl}
    >
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700">
        <h2 class="min-w-0 flex-1 truncate text-sm font-semibold">
          <span class="sr-only">Preview of </span>
          <span data-preview-title safe>
            {page}
          </span>
        </h2>
        <span
          data-preview-status
          role="status"
          class="text-xs text-slate-500 data-[state=error]:text-red-600 dark:text-slate-400 dark:data-[state=error]:text-red-400"
        ></span>
        <Button variant="ghost" size="xs" data-preview-reload title="Reload the preview">
          Reload
        </Button>
        <Button
          href={src}
          variant="ghost"
          size="xs"
          target="_blank"
          rel="noopener noreferrer"
          data-preview-tab
          title="Open the preview in a new tab (the link works for 15 minutes)"
        >
          New tab
        </Button>
        <CloseButton label="Close the preview" data-panel-close />
      </div>
      <iframe
        src={src}
        title={`Preview of ${page}`}
        sandbox="allow-scripts allow-forms allow-popups"
        referrerpolicy="no-referrer"
        data-preview-frame
        class="min-h-0 w-full flex-1 border-0 bg-white"
      ></iframe>
    </div>
  );
}

/** The header's Preview button: the shell loads the panel for the open HTML file (else index.html). */
export function PreviewButton({ projectId }: { projectId: string }) {
  return (
    <Button
      variant="ghost"
      size="sm"
      data-preview-open={projectId}
      title="Show the page live beside the editor"
    >
      <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path d="M10 4C5.5 4 2.3 7.2 1 10c1.3 2.8 4.5 6 9 6s7.7-3.2 9-6c-1.3-2.8-4.5-6-9-6zm0 9.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zm0-2a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z" />
      </svg>
      <span class="max-sm:sr-only">Preview</span>
    </Button>
  );
}
