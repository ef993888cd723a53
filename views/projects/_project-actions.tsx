import type { ProjectSummary } from "../../src/db/queries/projects.ts";
import { CsrfField } from "../components/_csrf-field.tsx";
import { BUTTON, DANGER, DIALOG, INPUT, INPUT_BAD, INPUT_OK, PRIMARY } from "./_format.tsx";
import { type ListState, StateFields } from "./_list-state.tsx";

type Target = Pick<ProjectSummary, "id" | "name">;

interface FormProps {
  project: Target;
  state: ListState;
  csrfToken: string;
}

const SMALL = BUTTON.replace("px-3 py-2", "px-2.5 py-1.5");

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
      <h2 id={`rename-${project.id}-title`} class="text-lg font-semibold">
        Rename project
      </h2>
      <CsrfField token={csrfToken} />
      <StateFields state={state} />
      <div>
        <label for={field} class="block text-sm font-medium text-slate-700 dark:text-slate-200">
          Name
        </label>
        <input
          id={field}
          name="name"
          value={value ?? project.name}
          maxlength="100"
          required
          autocomplete="off"
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? `${field}-error` : undefined}
          class={`${INPUT} ${error ? INPUT_BAD : INPUT_OK}`}
        />
        {error ? (
          <p id={`${field}-error`} class="mt-1.5 text-sm text-red-600 dark:text-red-400" safe>
            {error}
          </p>
        ) : null}
      </div>
      <div class="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <button type="button" commandfor={`rename-${project.id}`} command="close" class={BUTTON}>
          Cancel
        </button>
        <button type="submit" class={PRIMARY}>
          Save name
        </button>
      </div>
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
      <button type="button" commandfor={rename} command="show-modal" class={SMALL}>
        Rename<span class="sr-only" safe>{` ${project.name}`}</span>
      </button>
      <button
        type="button"
        commandfor={remove}
        command="show-modal"
        class={`${SMALL} text-red-700 dark:text-red-300`}
      >
        Delete<span class="sr-only" safe>{` ${project.name}`}</span>
      </button>
      <dialog id={rename} aria-labelledby={`${rename}-title`} class={DIALOG}>
        <RenameForm project={project} state={state} csrfToken={csrfToken} />
      </dialog>
      <dialog id={remove} aria-labelledby={`${remove}-title`} class={DIALOG}>
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
          <h2 id={`${remove}-title`} class="text-lg font-semibold">
            Delete <span class="break-all" safe>{`“${project.name}”`}</span>?
          </h2>
          <p class="text-sm text-slate-600 dark:text-slate-300" safe>
            {`The project and its ${files}, with their history, are removed for good. This cannot be undone.`}
          </p>
          <div class="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
            <button type="button" commandfor={remove} command="close" autofocus class={BUTTON}>
              Cancel
            </button>
            <button type="submit" class={DANGER}>
              Delete project
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
