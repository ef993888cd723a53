import type { AccountUser } from "../../src/db/schema/users.ts";
import type { FieldErrors } from "../../src/features/auth/form-errors.ts";
import { Button } from "../components/_button.tsx";
import { Dialog } from "../components/_dialog.tsx";
import { inputClass } from "../components/_field.tsx";
import { AppLayout, displayName } from "../layouts/app.tsx";
import { GitImportForm } from "./_git-import.tsx";
import { ImportProjectForm } from "./_import-form.tsx";
import { NewProjectForm, type NewProjectValues } from "./_new-project-form.tsx";
import { ProjectsTable, type ProjectsTableProps } from "./_table.tsx";
import { Toasts } from "./_toast.tsx";

export interface DashboardProps {
  user: AccountUser;
  table: Omit<ProjectsTableProps, "oob">;
  /** Without htmx, a create with errors comes back as the page with the dialog already open. */
  create?: { values: NewProjectValues; errors: FieldErrors };
}

/** The signed-in home: search, the projects table and the "New project" dialog. */
export function DashboardPage({ user, table, create }: DashboardProps) {
  const { csrfToken, state } = table;
  return (
    <AppLayout title="Projects" user={user} csrfToken={csrfToken} section="projects">
      <div class="flex flex-wrap items-end justify-between gap-4">
        <div class="min-w-0">
          <p class="truncate text-sm text-slate-500 dark:text-slate-400">
            Welcome, <span safe>{user.firstName || displayName(user)}</span>
          </p>
          <h1 class="mt-1 text-3xl font-bold tracking-tight">Projects</h1>
        </div>
        <div class="flex flex-wrap gap-2">
          <Button commandfor="import-project" command="show-modal" variant="secondary" size="lg">
            Import .zip
          </Button>
          <Button commandfor="git-import" command="show-modal" variant="secondary" size="lg">
            New project from Git URL
          </Button>
          <Button commandfor="new-project" command="show-modal" variant="primary" size="lg">
            <svg class="size-4" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
              <path d="M10 4a1 1 0 0 1 1 1v4h4a1 1 0 1 1 0 2h-4v4a1 1 0 1 1-2 0v-4H5a1 1 0 1 1 0-2h4V5a1 1 0 0 1 1-1z" />
            </svg>
            New project
          </Button>
        </div>
      </div>
      <search class="mt-6 block max-w-sm">
        <form
          id="projects-search"
          method="get"
          action="/projects"
          hx-get="/projects"
          hx-trigger="input delay:300ms, submit"
          hx-target="#projects-table"
          hx-swap="outerHTML"
          hx-push-url="true"
          hx-sync="this:replace"
        >
          <label for="projects-q" class="sr-only">
            Search projects by name
          </label>
          <input
            id="projects-q"
            type="search"
            name="q"
            value={state.q}
            maxlength="100"
            autocomplete="off"
            placeholder="Search by name"
            class={inputClass()}
          />
        </form>
      </search>
      <ProjectsTable {...table} />
      <Dialog id="new-project" aria-labelledby="new-project-title" open={Boolean(create)}>
        <NewProjectForm csrfToken={csrfToken} values={create?.values} errors={create?.errors} />
      </Dialog>
      <Dialog id="import-project" aria-labelledby="import-project-title">
        <ImportProjectForm csrfToken={csrfToken} />
      </Dialog>
      <Dialog id="git-import" aria-labelledby="git-import-title">
        <GitImportForm csrfToken={csrfToken} />
      </Dialog>
      <Toasts />
    </AppLayout>
  );
}
