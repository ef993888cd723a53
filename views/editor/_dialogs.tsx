import { CsrfField } from "../components/_csrf-field.tsx";
import { projectPart } from "./urls.ts";

const DIALOG =
  "m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50 dark:border-ink-700 dark:bg-ink-800 dark:text-slate-100";
const INPUT =
  "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm dark:border-ink-700 dark:bg-ink-900";
const BUTTON =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-ink-700 dark:hover:bg-ink-700";
const PRIMARY = "rounded-md bg-aura-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-aura-700";
const DANGER = "rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700";

/** Every tree form answers with the new tree (and toasts/editor out of band); errors come back as toasts. */
const treeForm = (projectId: string, part: string) => ({
  "hx-post": projectPart(projectId, part),
  "hx-target": "#tree",
  "hx-swap": "outerHTML",
  "hx-include": "#tab-state",
  "hx-status:4xx": "target:#toasts swap:beforeend",
  method: "post",
  action: projectPart(projectId, part),
});

function Buttons({ submit, tone = PRIMARY, dialog }: { submit: string; tone?: string; dialog: string }) {
  return (
    <div class="mt-5 flex justify-end gap-2">
      <button type="button" class={BUTTON} commandfor={dialog} command="close">
        Cancel
      </button>
      <button type="submit" class={tone} safe>
        {submit}
      </button>
    </div>
  );
}

/**
 * The create, rename and delete dialogs of the file tree. Buttons open them with Invoker
 * Commands (`commandfor`/`command`); shell.js copies the row's `data-path` into the form.
 */
export function TreeDialogs({ projectId, csrfToken }: { projectId: string; csrfToken: string }) {
  return (
    <>
      <dialog id="create-dialog" class={DIALOG} aria-labelledby="create-title">
        <form class="p-5" {...treeForm(projectId, "files")}>
          <CsrfField token={csrfToken} />
          <h2 id="create-title" class="text-lg font-semibold">
            New file or folder
          </h2>
          <fieldset class="mt-3 flex gap-4 text-sm">
            <legend class="sr-only">Kind</legend>
            <label class="flex items-center gap-1.5">
              <input type="radio" name="kind" value="file" checked /> File
            </label>
            <label class="flex items-center gap-1.5">
              <input type="radio" name="kind" value="folder" /> Folder
            </label>
          </fieldset>
          <label class="mt-3 block text-sm font-medium">
            Path
            <input
              name="path"
              required
              maxlength="500"
              autocomplete="off"
              spellcheck="false"
              placeholder="src/utils.js"
              class={INPUT}
              data-path-field
            />
          </label>
          <p class="mt-1 text-xs text-slate-500">
            Use “/” for folders. A new folder holds an empty .gitkeep file.
          </p>
          <Buttons submit="Create" dialog="create-dialog" />
        </form>
      </dialog>
      <dialog id="rename-dialog" class={DIALOG} aria-labelledby="rename-title">
        <form class="p-5" {...treeForm(projectId, "files/rename")}>
          <CsrfField token={csrfToken} />
          <h2 id="rename-title" class="text-lg font-semibold">
            Rename
          </h2>
          <input type="hidden" name="from" data-path-from />
          <label class="mt-3 block text-sm font-medium">
            New path
            <input
              name="to"
              required
              maxlength="500"
              autocomplete="off"
              spellcheck="false"
              class={INPUT}
              data-path-field
            />
          </label>
          <Buttons submit="Rename" dialog="rename-dialog" />
        </form>
      </dialog>
      <dialog id="delete-dialog" class={DIALOG} aria-labelledby="delete-title" role="alertdialog">
        <form class="p-5" {...treeForm(projectId, "files/delete")}>
          <CsrfField token={csrfToken} />
          <h2 id="delete-title" class="text-lg font-semibold">
            Delete?
          </h2>
          <input type="hidden" name="path" data-path-from />
          <p class="mt-2 text-sm">
            <code class="rounded bg-slate-100 px-1 dark:bg-ink-900" data-path-text></code> and its history
            will be deleted. A folder goes with everything in it. This cannot be undone.
          </p>
          <Buttons submit="Delete" tone={DANGER} dialog="delete-dialog" />
        </form>
      </dialog>
    </>
  );
}
