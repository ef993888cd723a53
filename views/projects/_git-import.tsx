import type { ImportJob } from "../../src/features/git/import-jobs.ts";
import { Button } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { DialogActions, DialogTitle } from "../components/_dialog.tsx";
import { Field } from "../components/_field.tsx";

/**
 * The "New project from Git URL" form. Posted by htmx, it answers with the clone's progress
 * in `#git-import-status`, which polls until the project opens or the import fails.
 */
export function GitImportForm({ csrfToken }: { csrfToken: string }) {
  return (
    <form
      id="git-import-form"
      method="post"
      action="/projects/import/git"
      hx-post="/projects/import/git"
      hx-target="#git-import-status"
      hx-swap="innerHTML"
      hx-disable="find button[type=submit]"
      class="space-y-4 p-5 sm:p-6"
    >
      <DialogTitle id="git-import-title">New project from Git URL</DialogTitle>
      <CsrfField token={csrfToken} />
      <p class="text-sm text-slate-600 dark:text-slate-300">
        A shallow clone of the branch becomes a new project you can commit, push and pull from.
      </p>
      <Field
        name="url"
        label="Repository URL"
        autocomplete="url"
        maxlength="2000"
        hint="https://… (http and https only)"
      />
      <Field
        name="branch"
        label="Branch"
        optional
        autocomplete="off"
        maxlength="200"
        hint="Defaults to the remote's default branch"
      />
      <Field
        name="token"
        type="password"
        label="Personal access token"
        optional
        autocomplete="off"
        maxlength="1000"
        hint="For private repositories and pushing; stored encrypted, never shown again"
      />
      <div id="git-import-status" aria-live="polite"></div>
      <DialogActions>
        <Button commandfor="git-import" command="close" size="lg">
          Cancel
        </Button>
        <Button type="submit" variant="primary" size="lg">
          Clone
        </Button>
      </DialogActions>
    </form>
  );
}

/** A running import's progress bar, polling for the next state; a failure says why. */
export function GitImportStatus({ jobId, job }: { jobId: string; job: ImportJob }) {
  if (job.state === "failed")
    return (
      <p role="alert" class="text-sm text-red-600 dark:text-red-400" data-git-import-error safe>
        {job.message}
      </p>
    );
  if (job.state === "done")
    return (
      <div class="space-y-2 text-sm" data-git-import-done>
        <p>The project was created without these files of the repository; commits keep them as they are:</p>
        <ul class="max-h-40 list-disc overflow-y-auto pl-5 text-slate-600 dark:text-slate-300">
          {job.skipped.map((s) => (
            <li>
              <code class="font-mono text-xs" safe>
                {s.path}
              </code>{" "}
              <span safe>({s.reason})</span>
            </li>
          ))}
        </ul>
        <Button href={`/projects/${encodeURIComponent(job.projectId)}`} variant="primary" size="md">
          Open the project
        </Button>
      </div>
    );
  const { phase, loaded, total } = job.progress;
  return (
    <div
      hx-get={`/projects/import/git/${encodeURIComponent(jobId)}`}
      hx-trigger="load delay:400ms"
      hx-target="#git-import-status"
      hx-swap="innerHTML"
      class="space-y-1"
    >
      <p class="text-sm text-slate-600 dark:text-slate-300" safe>
        {phase}…
      </p>
      <progress
        class="h-2 w-full accent-aura-600"
        aria-label="Clone progress"
        data-git-progress
        {...(total > 0 ? { max: String(total), value: String(Math.min(loaded, total)) } : {})}
      ></progress>
    </div>
  );
}
