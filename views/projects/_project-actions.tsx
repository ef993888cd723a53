import type { ProjectSummary } from "../../src/db/queries/projects.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { Dialog, DialogActions, DialogTitle } from "../components/_dialog.tsx";
import { Field } from "../components/_field.tsx";
import { type ListState, StateFields } from "./_list-state.tsx";

type Target = Pick<ProjectSummary, "id" | "name">;

interface FormProps {
  project: Target;
  state: ListState;
  csrfToken: string;
}

/** The rename form of one project; comes back alone (422) with the error and the typed name. */
export function RenameForm({
  project,
  state,
  csrfToken,
  value,
  error,
}: FormProps & { value?: string; error?: string | undefined }) {
  const action = `/projects/${project.id}/rename`;
  const field = `rename-${project.id}-name`;
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button[type=submit]"
      class="space-y-4 p-5 text-left sm:p-6"
    >
      <DialogTitle id={`rename-${project.id}-title`}>Rename project</DialogTitle>
      <CsrfField token={csrfToken} />
      <StateFields state={state} />
      <Field
        id={field}
        name="name"
        label="Name"
        value={value ?? project.name}
        maxlength="100"
        autocomplete="off"
        error={error}
      />
      <DialogActions>
        <Button commandfor={`rename-${project.id}`} command="close" size="lg">
          Cancel
        </Button>
        <Button type="submit" variant="primary" size="lg">
          Save name
        </Button>
      </DialogActions>
    </form>
  );
}

/** Rename and Delete for one row, each opening its own native dialog (Invoker Commands, no script). */
export function ProjectActions({ project, state, csrfToken }: FormProps & { project: ProjectSummary }) {
  const rename = `rename-${project.id}`;
  const remove = `delete-${project.id}`;
  const action = `/projects/${project.id}/delete`;
  const files = `${project.fileCount} file${project.fileCount === 1 ? "" : "s"}`;
  return (
    <div class="flex justify-end gap-2">
      <Button commandfor={rename} command="show-modal">
        Rename<span class="sr-only" safe>{` ${project.name}`}</span>
      </Button>
      <Button commandfor={remove} command="show-modal" variant="danger-secondary">
        Delete<span class="sr-only" safe>{` ${project.name}`}</span>
      </Button>
      <Dialog id={rename} aria-labelledby={`${rename}-title`}>
        <RenameForm project={project} state={state} csrfToken={csrfToken} />
      </Dialog>
      <Dialog id={remove} aria-labelledby={`${remove}-title`}>
        <form
          method="post"
          action={action}
          hx-post={action}
          hx-target="this"
          hx-swap="outerHTML"
          hx-disable="find button[type=submit]"
          class="space-y-3 p-5 text-left sm:p-6"
        >
          <CsrfField token={csrfToken} />
          <StateFields state={state} />
          <DialogTitle id={`${remove}-title`}>
            Delete <span class="break-all" safe>{`“${project.name}”`}</span>?
          </DialogTitle>
          <p class="text-sm text-slate-600 dark:text-slate-300" safe>
            {`The project and its ${files}, with their history, are removed for good. This cannot be undone.`}
          </p>
          <DialogActions>
            <Button commandfor={remove} command="close" autofocus size="lg">
              Cancel
            </Button>
            <Button type="submit" variant="danger" size="lg">
              Delete project
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </div>
  );
}
