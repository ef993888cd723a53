import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { apiModels, bearer, errors, noContent, projectIdParameter } from "../docs/api-schema.ts";
import { ProjectParams } from "../projects/model.ts";
import { importRepository } from "./clone.ts";
import { deleteGitToken, hasGitToken, saveGitToken } from "./credentials.ts";
import {
  CommitBody,
  GitImported,
  GitOid,
  GitStatus,
  GitTokenState,
  ImportGitBody,
  TokenBody,
} from "./model.ts";
import { commitChanges, gitStatus } from "./service.ts";
import { pullChanges, pushChanges } from "./sync.ts";

const GIT_ERRORS =
  "A remote that refuses the saved token is 403 `git_auth`; an unreachable or failing remote is 502; " +
  "another git operation on the project in progress is 409.";

/** The JSON face of git: import a repository as a project, and a project's status, commit, push and pull. */
export function gitRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1", tags: ["Git"] })
    .use(apiModels)
    .model({ GitImported, GitStatus, GitOid, GitTokenState })
    .use(authPlugin(deps))
    .post(
      "/projects/import/git",
      async ({ principal, body, set }) => {
        const project = await importRepository(deps, principal.userId, body);
        set.status = 201;
        return project;
      },
      {
        auth: true,
        body: ImportGitBody,
        response: { 201: "GitImported", ...errors(400, 401, 403, 413, 429, 502) },
        detail: {
          operationId: "importGitProject",
          summary: "Create a project from a git repository",
          description:
            "A shallow clone (depth 1) of the remote's default branch, or `branch`. Only `http:` and `https:` " +
            "URLs without credentials in them; a remote on a loopback or private address is a 400 unless the " +
            "server sets GIT_ALLOW_PRIVATE_REMOTES. A download over the clone limit (GIT_CLONE_LIMIT), more than " +
            "1000 files, or files over the project limit is a 413. Files the project cannot hold (over 5 MiB, " +
            "symbolic links, submodules) are listed in `skipped`. An empty repository, or one whose default " +
            `branch has no commits, is a 400 naming \`url\`. ${GIT_ERRORS}`,
          ...bearer("api"),
        },
      },
    )
    .get(
      "/projects/:id/git/status",
      ({ principal, params }) => gitStatus(deps, principal.userId, params.id),
      {
        auth: true,
        params: ProjectParams,
        response: { 200: "GitStatus", ...errors(400, 401, 404, 429) },
        detail: {
          operationId: "gitStatus",
          summary: "A project's git status",
          description:
            "The branch, remote, commits ahead and behind, and the files added, modified or deleted since the " +
            "last commit. Any member may read it; a project not imported from git is a 404.",
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    )
    .post(
      "/projects/:id/git/commit",
      async ({ principal, params, body, set }) => {
        const commit = await commitChanges(deps, principal.userId, params.id, body.message);
        set.status = 201;
        return commit;
      },
      {
        auth: true,
        params: ProjectParams,
        body: CommitBody,
        response: { 201: "GitOid", ...errors(400, 401, 403, 404, 409, 429) },
        detail: {
          operationId: "gitCommit",
          summary: "Commit the project's changes",
          description:
            "Every change since the last commit, authored by you (your name and email). Editors and the owner; " +
            "a viewer gets 403. Nothing to commit is a 409.",
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    )
    .post(
      "/projects/:id/git/push",
      ({ principal, params }) => pushChanges(deps, principal.userId, params.id),
      {
        auth: true,
        params: ProjectParams,
        response: { 200: "GitOid", ...errors(400, 401, 403, 404, 409, 413, 429, 502) },
        detail: {
          operationId: "gitPush",
          summary: "Push the project's commits",
          description:
            "Pushes the branch with your saved token. A remote that has commits this project does not (not a " +
            `fast-forward) is a 409: pull first. ${GIT_ERRORS}`,
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    )
    .post(
      "/projects/:id/git/pull",
      ({ principal, params }) => pullChanges(deps, principal.userId, params.id),
      {
        auth: true,
        params: ProjectParams,
        response: { 200: "GitOid", ...errors(400, 401, 403, 404, 409, 413, 429, 502) },
        detail: {
          operationId: "gitPull",
          summary: "Pull the remote's commits",
          description:
            "Fetches the branch and fast-forwards the project's files to it. A branch that diverged from the " +
            "project's commits, or an incoming change to a file with uncommitted changes, is a 409 and changes " +
            `nothing. ${GIT_ERRORS}`,
          parameters: [projectIdParameter],
          ...bearer("api"),
        },
      },
    )
    .get("/git/token", async ({ principal }) => ({ configured: await hasGitToken(deps, principal.userId) }), {
      auth: true,
      response: { 200: "GitTokenState", ...errors(401, 429) },
      detail: {
        operationId: "gitTokenState",
        summary: "Whether you have a git token saved",
        ...bearer("api"),
      },
    })
    .put(
      "/git/token",
      async ({ principal, body, set }) => {
        await saveGitToken(deps, principal.userId, body.token, body.host);
        set.status = 204;
      },
      {
        auth: true,
        body: TokenBody,
        response: { 204: noContent("Saved"), ...errors(400, 401, 429) },
        detail: {
          operationId: "saveGitToken",
          summary: "Save your git personal access token",
          description:
            "Stored encrypted (AES-GCM) and used for your pushes and pulls to remotes on `host` only; " +
            "it is never shown again. A token given at import is kept for that remote's host.",
          ...bearer("api"),
        },
      },
    )
    .delete(
      "/git/token",
      async ({ principal, set }) => {
        await deleteGitToken(deps, principal.userId);
        set.status = 204;
      },
      {
        auth: true,
        response: { 204: noContent("Forgotten (or there was none)"), ...errors(401, 429) },
        detail: { operationId: "deleteGitToken", summary: "Forget your git token", ...bearer("api") },
      },
    );
}
