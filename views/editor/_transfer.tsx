import type { Role } from "../../src/features/projects/access.ts";
import { Button } from "../components/_button.tsx";
import { projectPart } from "./urls.ts";

/** A project file's bytes on the HTML face: every segment percent-encoded, `/` kept. */
export const rawUrl = (projectId: string, path: string) =>
  projectPart(projectId, `raw/${path.split("/").map(encodeURIComponent).join("/")}`);

const UPLOAD_ICON = (
  <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
    <path d="M10 3 5.5 7.5l1.4 1.4L9 6.8V13h2V6.8l2.1 2.1 1.4-1.4zM4 15h12v2H4z" />
  </svg>
);

/**
 * The tree's transfer actions: Upload (files, or a folder with its tree) for editors, and the
 * project as a .zip for everyone. Files dropped on the tree upload too (src/client/shell/upload.ts).
 */
export function TreeTransfer({ projectId, role }: { projectId: string; role: Role }) {
  return (
    <>
      {role === "viewer" ? null : (
        <>
          <label
            class="inline-flex cursor-pointer items-center gap-1 rounded-md px-1.5 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-within:ring-2 focus-within:ring-aura-500 dark:text-slate-300 dark:hover:bg-ink-700 dark:hover:text-white"
            title="Upload files (or drop them on the tree)"
          >
            {UPLOAD_ICON}
            <span class="sr-only">Upload files</span>
            <input
              type="file"
              multiple
              class="sr-only"
              data-upload={projectPart(projectId, "files/upload")}
            />
          </label>
          <label
            class="inline-flex cursor-pointer items-center rounded-md px-1.5 py-1 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-within:ring-2 focus-within:ring-aura-500 dark:text-slate-300 dark:hover:bg-ink-700 dark:hover:text-white"
            title="Upload a folder"
          >
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M2 5a1 1 0 0 1 1-1h5l2 2h7a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1z" />
            </svg>
            <span class="sr-only">Upload a folder</span>
            <input
              type="file"
              webkitdirectory
              class="sr-only"
              data-upload={projectPart(projectId, "files/upload")}
            />
          </label>
        </>
      )}
      <Button
        href={projectPart(projectId, "archive")}
        variant="ghost"
        size="sm"
        title="Download the project as a .zip"
      >
        <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
          <path d="M9 3h2v6.2l2.1-2.1 1.4 1.4L10 13 5.5 8.5l1.4-1.4L9 9.2zM4 15h12v2H4z" />
        </svg>
        <span class="sr-only">Download the project as a .zip</span>
      </Button>
    </>
  );
}

/** Where an upload's progress shows, under the tree's header; hidden while nothing uploads. */
export function UploadProgress() {
  return (
    <div data-upload-progress hidden class="px-3 pb-2" role="status" aria-live="polite">
      <progress max="100" value="0" class="h-1.5 w-full accent-aura-600"></progress>
      <p class="mt-1 truncate text-xs text-slate-500" data-upload-label></p>
    </div>
  );
}

/** A file stored as bytes, in place of the editor: its size, an image shown as one, and a download. */
export function BinaryFile(props: { projectId: string; path: string; size: number; image: boolean }) {
  const url = rawUrl(props.projectId, props.path);
  const name = props.path.split("/").at(-1) ?? props.path;
  const kb = Math.max(1, Math.round(props.size / 1024)).toLocaleString("en");
  return (
    <div
      class="flex min-h-0 flex-1 flex-col items-center justify-center gap-4 overflow-auto p-8 text-center"
      data-binary
      data-path={props.path}
    >
      {props.image ? (
        <img
          src={url}
          alt={name}
          class="max-h-[60vh] max-w-full rounded border border-slate-200 bg-[repeating-conic-gradient(#e2e8f0_0_25%,transparent_0_50%)] bg-[length:16px_16px] dark:border-ink-700"
        />
      ) : null}
      <p class="text-sm text-slate-600 dark:text-slate-300">
        <span class="font-medium" safe>
          {name}
        </span>{" "}
        <span safe>{`— binary file, ${kb} KB`}</span>
      </p>
      <Button href={url} variant="secondary" size="md" download={name}>
        Download
      </Button>
    </div>
  );
}
