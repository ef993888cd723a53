import { Elysia, t } from "elysia";
import { SourceControlPanel, type SourceControlProps } from "../../../views/editor/_source-control.tsx";
import { FileTree } from "../../../views/editor/_tree.tsx";
import { GitImportStatus } from "../../../views/projects/_git-import.tsx";
import type { Deps } from "../../deps.ts";
import { AppError, NotFoundError, ValidationError } from "../../errors.ts";
import { html, isHtmx, redirectAfterPost } from "../../plugins/htmx.ts";
import { beginAuthorization } from "../auth/oauth/routes.ts";
import { sessionPlugin, type Viewer } from "../auth/session-guard.ts";
import { buildTree } from "../editor/tree.ts";
import { loadTree } from "../editor/workspace.ts";
import { projectAccess } from "../projects/access.ts";
import { ProjectParams } from "../projects/model.ts";
import { importRepository } from "./clone.ts";
import { githubHost } from "./credentials.ts";
import { readImport, startImport } from "./import-jobs.ts";
import { BRANCH_PATTERN, TOKEN_PATTERN } from "./model.ts";
import { changeTexts, sourceControl } from "./panel.ts";
import { commitChanges } from "./service.ts";
import { pullChanges, pushChanges } from "./sync.ts";

const ImportForm = t.Object({
  _csrf: t.Optional(t.String({ maxLength: 200 })),
  url: t.String({ maxLength: 2000 }),
  branch: t.Optional(t.String({ maxLength: 200 })),
  token: t.Optional(t.String({ maxLength: 1000 })),
});
const JobParams = t.Object({ job: t.String({ format: "uuid" }) });
const CompareQuery = t.Object({ path: t.String({ minLength: 1, maxLength: 1024 }) });
const CommitForm = t.Object({
  _csrf: t.Optional(t.String({ maxLength: 200 })),
  message: t.Optional(t.String({ maxLength: 10_000 })),
});
// A pull carries the page's tab state, so the refreshed file tree keeps the open file marked.
const PullForm = t.Object({
  _csrf: t.Optional(t.String({ maxLength: 200 })),
  tabs: t.Optional(t.String({ maxLength: 8000 })),
  current: t.Optional(t.String({ maxLength: 8000 })),
});

/** The form's fields as the import takes them: blanks left out, branch and token checked as the API checks them. */
function importInput(form: typeof ImportForm.static) {
  const branch = form.branch?.trim() || undefined;
  const token = form.token?.trim() || undefined;
  if (branch && !new RegExp(BRANCH_PATTERN).test(branch))
    throw new ValidationError("branch: is not a branch name", "branch");
  if (token && !new RegExp(TOKEN_PATTERN).test(token))
    throw new ValidationError("token: must be printable characters without spaces", "token");
  return { url: form.url, branch, token };
}

/** The HTML face of git: the dashboard's import with its progress, and the editor's Source Control panel. */
export function gitPages(deps: Deps) {
  /**
   * Where to let GitHub grant pushing, when the remote is on the host GitHub sign-in is
   * configured for; undefined otherwise.
   */
  function githubGrant(projectId: string, remote: string): string | undefined {
    const github = deps.config.oauth.github;
    if (!github) return undefined;
    return new URL(remote).hostname === githubHost(github)
      ? `/projects/${encodeURIComponent(projectId)}/git/github`
      : undefined;
  }

  async function panel(
    viewer: Viewer,
    projectId: string,
    given?: SourceControlProps["notice"] & { authRefused?: boolean },
    tree?: { current: string | undefined },
  ) {
    const state = await sourceControl(deps, viewer.user.id, projectId);
    // A remote that refused the credentials may be one GitHub can grant access to, asked for now.
    const grant = given?.authRefused ? githubGrant(projectId, state.remote) : undefined;
    const notice = given && { kind: given.kind, message: given.message, grant };
    const files = tree ? await loadTree(deps, viewer.user.id, projectId) : undefined;
    return html(
      <>
        <SourceControlPanel projectId={projectId} csrfToken={viewer.csrfToken} notice={notice} {...state} />
        {files ? (
          <hx-partial hx-target="#tree" hx-swap="outerHTML">
            <FileTree
              projectId={projectId}
              nodes={buildTree(files.paths)}
              current={tree?.current}
              role={files.role}
            />
          </hx-partial>
        ) : null}
      </>,
    );
  }

  /** Run an action and answer the panel with its outcome; a refusal is shown in the panel, not instead of it. */
  async function act(
    viewer: Viewer,
    projectId: string,
    run: () => Promise<string>,
    tree?: { current: string | undefined },
  ) {
    let notice: SourceControlProps["notice"] & { authRefused?: boolean };
    try {
      notice = { kind: "success", message: await run() };
    } catch (error) {
      // Not a member (404) is answered as any other route answers it.
      if (!(error instanceof AppError) || error instanceof NotFoundError || error.status >= 500) throw error;
      notice = { kind: "error", message: error.message, authRefused: error.code === "git_auth" };
    }
    return panel(viewer, projectId, notice, notice.kind === "success" ? tree : undefined);
  }

  const short = (oid: string) => oid.slice(0, 7);

  return (
    new Elysia({ name: "git-pages" })
      .use(sessionPlugin(deps))
      .post(
        "/projects/import/git",
        async ({ viewer, body, request }) => {
          const input = importInput(body);
          if (!isHtmx(request)) {
            const project = await importRepository(deps, viewer.user.id, input);
            return redirectAfterPost(request, `/projects/${project.id}`);
          }
          const jobId = await startImport(deps, viewer.user.id, input);
          const job = (await readImport(deps, viewer.user.id, jobId)) ?? {
            state: "running" as const,
            progress: { phase: "Connecting", loaded: 0, total: 0 },
          };
          return html(<GitImportStatus jobId={jobId} job={job} />);
        },
        { session: true, body: ImportForm },
      )
      .get(
        "/projects/import/git/:job",
        async ({ viewer, params, request }) => {
          const job = await readImport(deps, viewer.user.id, params.job);
          if (!job) throw new NotFoundError("Import");
          // Done with nothing left out: open the project. Skipped files are listed first.
          if (job.state === "done" && job.skipped.length === 0)
            return redirectAfterPost(request, `/projects/${job.projectId}`);
          return html(<GitImportStatus jobId={params.job} job={job} />);
        },
        { session: true, params: JobParams },
      )
      .get("/projects/:id/git", ({ viewer, params }) => panel(viewer, params.id), {
        session: true,
        params: ProjectParams,
      })
      // The side-by-side view's two texts, as JSON: the island fetches them when it is opened.
      .get(
        "/projects/:id/git/compare",
        ({ viewer, params, query }) => changeTexts(deps, viewer.user.id, params.id, query.path),
        { session: true, params: ProjectParams, query: CompareQuery },
      )
      .post(
        "/projects/:id/git/commit",
        ({ viewer, params, body }) =>
          act(viewer, params.id, async () => {
            const message = body.message?.trim();
            if (!message) throw new ValidationError("message: is required", "message");
            const { oid } = await commitChanges(deps, viewer.user.id, params.id, message);
            return `Committed ${short(oid)}`;
          }),
        { session: true, params: ProjectParams, body: CommitForm },
      )
      .post(
        "/projects/:id/git/push",
        ({ viewer, params }) =>
          act(
            viewer,
            params.id,
            async () => `Pushed ${short((await pushChanges(deps, viewer.user.id, params.id)).oid)}`,
          ),
        { session: true, params: ProjectParams },
      )
      .get(
        "/projects/:id/git/github",
        async ({ viewer, params, request, cookie, set }) => {
          const { project } = await projectAccess(deps, viewer.user.id, params.id, "editor");
          set.status = 302;
          set.headers.location = beginAuthorization(deps, "github", request, cookie, {
            next: `/projects/${project.id}`,
            gitUserId: viewer.user.id,
            extraScopes: ["repo"],
          });
        },
        { session: true, params: ProjectParams },
      )
      .post(
        "/projects/:id/git/pull",
        ({ viewer, params, body }) =>
          act(
            viewer,
            params.id,
            async () => `Up to date with ${short((await pullChanges(deps, viewer.user.id, params.id)).oid)}`,
            { current: body.current || undefined },
          ),
        { session: true, params: ProjectParams, body: PullForm },
      )
  );
}
