import type { ChangeWithDiff } from "../../src/features/git/panel.ts";
import type { Role } from "../../src/features/projects/access.ts";
import { Badge } from "../components/_badge.tsx";
import { Button, CloseButton } from "../components/_button.tsx";
import { CsrfField } from "../components/_csrf-field.tsx";
import { inputClass } from "../components/_field.tsx";
import { projectPart } from "./urls.ts";

export interface SourceControlProps {
  projectId: string;
  branch: string;
  remote: string;
  ahead: number;
  behind: number;
  role: Role;
  changes: ChangeWithDiff[];
  csrfToken: string;
  /** The last action's outcome, shown at the top of the panel. */
  notice?: { kind: "success" | "error"; message: string; grant?: string | undefined } | undefined;
}

const LINE = {
  add: "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-200",
  del: "bg-red-50 text-red-900 dark:bg-red-950/60 dark:text-red-200",
  ctx: "text-slate-500",
  hunk: "text-aura-600 dark:text-aura-400",
} as const;
const MARK = { add: "+", del: "-", ctx: " ", hunk: "" } as const;

const STATUS = {
  added: { letter: "A", tone: "text-emerald-700 dark:text-emerald-400" },
  modified: { letter: "M", tone: "text-amber-700 dark:text-amber-400" },
  deleted: { letter: "D", tone: "text-red-700 dark:text-red-400" },
} as const;

const NOTICE = {
  success:
    "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  error: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
} as const;

/** One git action (commit, push, pull) as a form that answers with the panel again. */
function Action(props: {
  projectId: string;
  action: string;
  csrfToken: string;
  label: string;
  title: string;
}) {
  return (
    <form
      hx-post={projectPart(props.projectId, `git/${props.action}`)}
      hx-target="#panel"
      hx-swap="innerHTML"
      hx-disable="find button"
    >
      <CsrfField token={props.csrfToken} />
      <Button type="submit" size="xs" title={props.title} data-git-action={props.action}>
        <span safe>{props.label}</span>
      </Button>
    </form>
  );
}

/** The Source Control panel: branch and remote, the changed files with their diffs, commit, push and pull. */
export function SourceControlPanel(props: SourceControlProps) {
  const { projectId, branch, remote, ahead, behind, role, changes, csrfToken, notice } = props;
  const editor = role !== "viewer";
  return (
    <div class="flex h-full flex-col" data-source-control>
      <div class="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700">
        <h2 class="min-w-0 flex-1 truncate text-sm font-semibold">
          Source control · <span safe>{branch}</span>
        </h2>
        <CloseButton label="Close source control" data-panel-close />
      </div>
      <div class="space-y-2 border-b border-slate-200 px-3 py-2 text-xs text-slate-600 dark:border-ink-700 dark:text-slate-300">
        <p class="truncate font-mono" title={remote} safe>
          {remote}
        </p>
        <p data-git-sync>
          {ahead} to push · {behind} to pull
        </p>
        {editor ? (
          <div class="flex gap-2">
            <Action
              projectId={projectId}
              action="pull"
              csrfToken={csrfToken}
              label="Pull"
              title="Fast-forward to the remote's commits"
            />
            <Action
              projectId={projectId}
              action="push"
              csrfToken={csrfToken}
              label="Push"
              title="Send your commits to the remote"
            />
          </div>
        ) : null}
      </div>
      {notice?.grant ? (
        <div
          class="mx-3 mt-3 space-y-2 rounded-lg border border-slate-200 p-3 text-sm dark:border-ink-700"
          data-git-grant
        >
          <p>
            This remote is on GitHub. Aura can push as your GitHub account: GitHub will ask you to grant the{" "}
            <code>repo</code> scope, which lets Aura read and write your repositories. Aura asks for it only
            now, to push; your sign-in never needed it.
          </p>
          <Button href={notice.grant} variant="primary" size="xs">
            Grant GitHub access
          </Button>
        </div>
      ) : null}
      {notice ? (
        <p
          role={notice.kind === "error" ? "alert" : "status"}
          class={`m-3 rounded-lg border px-3 py-2 text-sm ${NOTICE[notice.kind]}`}
          data-git-notice={notice.kind}
          safe
        >
          {notice.message}
        </p>
      ) : null}
      {editor ? (
        <form
          class="space-y-2 border-b border-slate-200 px-3 py-2 dark:border-ink-700"
          hx-post={projectPart(projectId, "git/commit")}
          hx-target="#panel"
          hx-swap="innerHTML"
          hx-disable="find button"
        >
          <CsrfField token={csrfToken} />
          <label for="commit-message" class="sr-only">
            Commit message
          </label>
          <textarea
            id="commit-message"
            name="message"
            rows="2"
            required
            maxlength="10000"
            placeholder="Commit message"
            class={inputClass()}
          ></textarea>
          <Button
            type="submit"
            variant="primary"
            size="xs"
            disabled={changes.length === 0}
            data-git-action="commit"
          >
            <span safe>
              {changes.length === 0
                ? "Nothing to commit"
                : changes.length === 1
                  ? "Commit 1 change"
                  : `Commit ${changes.length} changes`}
            </span>
          </Button>
        </form>
      ) : null}
      <ol class="min-h-0 flex-1 space-y-2 overflow-y-auto p-3" aria-label="Changes">
        {changes.length === 0 ? (
          <li class="text-sm text-slate-500">No changes since the last commit.</li>
        ) : null}
        {changes.map((c) => (
          <li class="rounded-lg border border-slate-200 dark:border-ink-700" data-change={c.status}>
            <details>
              <summary class="flex cursor-pointer items-center gap-2 px-3 py-2 text-sm">
                <span class={`font-mono text-xs font-bold ${STATUS[c.status].tone}`} title={c.status}>
                  {STATUS[c.status].letter}
                </span>
                <span class="min-w-0 flex-1 truncate font-mono text-xs" safe>
                  {c.path}
                </span>
                {c.diff ? (
                  <span class="text-xs">
                    <span class="text-emerald-600">+{c.diff.added}</span>{" "}
                    <span class="text-red-600">−{c.diff.removed}</span>
                  </span>
                ) : (
                  <Badge>binary</Badge>
                )}
              </summary>
              {c.diff ? (
                <div class="flex justify-end border-t border-slate-200 px-2 py-1 dark:border-ink-700">
                  <Button
                    variant="ghost"
                    size="xs"
                    data-git-compare={c.path}
                    data-project={projectId}
                    title="The last commit and now, side by side in the editor's merge view"
                  >
                    Side by side
                  </Button>
                </div>
              ) : null}
              {c.diff && c.diff.lines.length > 0 ? (
                <pre class="max-h-72 overflow-auto border-t border-slate-200 font-mono text-xs leading-5 dark:border-ink-700">
                  <code>
                    {c.diff.lines.map((l) => (
                      <div class={`px-2 ${LINE[l.kind]}`} data-diff={l.kind}>
                        <span safe>{MARK[l.kind] + l.text}</span>
                      </div>
                    ))}
                  </code>
                </pre>
              ) : (
                <p class="border-t border-slate-200 px-3 py-2 text-xs text-slate-500 dark:border-ink-700">
                  {c.diff ? "Empty file." : "A binary file: no line diff."}
                </p>
              )}
              {c.diff && c.diff.truncated > 0 ? (
                <p class="px-3 py-1 text-xs text-slate-500">… {c.diff.truncated} more lines</p>
              ) : null}
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
}
