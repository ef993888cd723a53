import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Dialog, DialogActions, DialogTitle } from "../components/_dialog.tsx";
import { FIELD_ERROR, inputClass, LABEL } from "../components/_field.tsx";
import { projectPart } from "./urls.ts";

const PATH_INPUT = `mt-1.5 font-mono ${inputClass()} aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/30`;

/**
 * Where a refused path's reason goes, under the field: shell.js fills it from a 4xx answer and
 * keeps the dialog open with what was typed (dialogs.ts).
 */
function PathError({ id }: { id: string }) {
  return <p id={id} class={FIELD_ERROR} role="alert" data-field-error hidden></p>;
}

/** Every tree form answers with the new tree (and toasts/editor out of band); errors come back as toasts, or under a path field. */
const treeForm = (projectId: string, part: string) => ({
  "hx-post": projectPart(projectId, part),
  "hx-target": "#tree",
  "hx-swap": "outerHTML",
  "hx-include": "#tab-state",
  "hx-status:4xx": "target:#toasts swap:beforeend",
  method: "post",
  action: projectPart(projectId, part),
});

function Buttons({ submit, danger = false, dialog }: { submit: string; danger?: boolean; dialog: string }) {
  return (
    <DialogActions>
      <Button commandfor={dialog} command="close" size="lg">
        Cancel
      </Button>
      <Button type="submit" variant={danger ? "danger" : "primary"} size="lg" safe>
        {submit}
      </Button>
    </DialogActions>
  );
}

/**
 * The create, rename and delete dialogs of the file tree. Buttons open them with Invoker
 * Commands (`commandfor`/`command`); shell.js copies the row's `data-path` into the form.
 */
export function TreeDialogs({ projectId, csrfToken }: { projectId: string; csrfToken: string }) {
  return (
    <>
      <Dialog id="create-dialog" size="sm" aria-labelledby="create-title">
        <form class="space-y-4 p-5 sm:p-6" {...treeForm(projectId, "files")}>
          <CsrfField token={csrfToken} />
          <DialogTitle id="create-title">New file or folder</DialogTitle>
          <fieldset class="flex gap-4 text-sm">
            <legend class="sr-only">Kind</legend>
            <label class="flex items-center gap-1.5">
              <input type="radio" name="kind" value="file" checked /> File
            </label>
            <label class="flex items-center gap-1.5">
              <input type="radio" name="kind" value="folder" /> Folder
            </label>
          </fieldset>
          <div>
            <label class={LABEL}>
              Path
              <input
                name="path"
                required
                maxlength="500"
                autocomplete="off"
                spellcheck="false"
                placeholder="src/utils.js"
                class={PATH_INPUT}
                aria-describedby="create-path-error"
                data-path-field
              />
            </label>
            <PathError id="create-path-error" />
            <p class="mt-1.5 text-xs text-slate-500">
              Use “/” for folders. A new folder holds an empty .gitkeep file.
            </p>
          </div>
          <Buttons submit="Create" dialog="create-dialog" />
        </form>
      </Dialog>
      <Dialog id="rename-dialog" size="sm" aria-labelledby="rename-title">
        <form class="space-y-4 p-5 sm:p-6" {...treeForm(projectId, "files/rename")}>
          <CsrfField token={csrfToken} />
          <DialogTitle id="rename-title">Rename</DialogTitle>
          <input type="hidden" name="from" data-path-from />
          <label class={LABEL}>
            New path
            <input
              name="to"
              required
              maxlength="500"
              autocomplete="off"
              spellcheck="false"
              class={PATH_INPUT}
              aria-describedby="rename-path-error"
              data-path-field
            />
          </label>
          <PathError id="rename-path-error" />
          <Buttons submit="Rename" dialog="rename-dialog" />
        </form>
      </Dialog>
      <Dialog id="delete-dialog" size="sm" aria-labelledby="delete-title" role="alertdialog">
        <form class="space-y-4 p-5 sm:p-6" {...treeForm(projectId, "files/delete")}>
          <CsrfField token={csrfToken} />
          <DialogTitle id="delete-title">Delete?</DialogTitle>
          <input type="hidden" name="path" data-path-from />
          <p class="text-sm">
            <code class="rounded bg-slate-100 px-1 dark:bg-ink-900" data-path-text></code> and its history
            will be deleted. A folder goes with everything in it. This cannot be undone.
          </p>
          <Buttons submit="Delete" danger dialog="delete-dialog" />
        </form>
      </Dialog>
    </>
  );
}
