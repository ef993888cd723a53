import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { DialogActions, DialogTitle } from "../components/_dialog.tsx";
import { Field, inputClass } from "../components/_field.tsx";

/**
 * The "Import .zip" form: a .zip becomes a new project, which then opens. Posted by htmx, a
 * refusal (a zip slip, a bomb, a limit) shows above the buttons; without scripts it is a page.
 */
export function ImportProjectForm({ csrfToken }: { csrfToken: string }) {
  return (
    <form
      id="import-project-form"
      method="post"
      action="/projects/import"
      enctype="multipart/form-data"
      hx-post="/projects/import"
      hx-target="#import-errors"
      hx-swap="innerHTML"
      hx-disable="find button[type=submit]"
      class="space-y-4 p-5 sm:p-6"
    >
      <DialogTitle id="import-project-title">Import a .zip</DialogTitle>
      <CsrfField token={csrfToken} />
      <p class="text-sm text-slate-600 dark:text-slate-300">
        Every file in the archive becomes a file of a new project, at its path. Up to 20 MB, 1000 files.
      </p>
      <div>
        <label for="import-file" class="block text-sm font-medium">
          Archive
        </label>
        <input
          id="import-file"
          name="file"
          type="file"
          accept=".zip,application/zip"
          required
          class={`mt-1.5 ${inputClass()}`}
        />
      </div>
      <Field
        name="name"
        label="Name"
        optional
        maxlength="100"
        autocomplete="off"
        hint="Defaults to the archive's name"
      />
      <div id="import-errors"></div>
      <DialogActions>
        <Button commandfor="import-project" command="close" size="lg">
          Cancel
        </Button>
        <Button type="submit" variant="primary" size="lg">
          Import
        </Button>
      </DialogActions>
    </form>
  );
}
