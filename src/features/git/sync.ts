import git from "isomorphic-git";
import * as files from "../../db/queries/files.ts";
import { touchProject } from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import { ConflictError } from "../../errors.ts";
import type { FileReplacements } from "../../ports.ts";
import { replacementsOf, storeAll } from "../files/transfer.ts";
import { writingProject } from "../projects/access.ts";
import { changedPaths } from "./changes.ts";
import { tokenAuth } from "./clone.ts";
import { openGitToken } from "./credentials.ts";
import { remoteError } from "./errors.ts";
import { readTreeFiles } from "./intake.ts";
import { withGitLock } from "./lock.ts";
import { guardedHttp } from "./remote.ts";
import { type GitDeps, openRepo, saveRepo, workspaceOf } from "./service.ts";
import { flattenTree, repoOptions, shallowOf } from "./workspace.ts";

function remoteOptions(deps: GitDeps, token: string | undefined) {
  const { allowPrivateRemotes, maxFetchBytes } = deps.config.git;
  return {
    http: guardedHttp({ allowPrivate: allowPrivateRemotes, maxBytes: maxFetchBytes }),
    onAuth: tokenAuth(token),
    onAuthFailure: () => ({ cancel: true }),
  };
}

/**
 * Push the branch's commits to the remote (editors and the owner), with the caller's saved
 * token. A remote that moved on (not a fast-forward) is a 409: pull first.
 */
export async function pushChanges(deps: GitDeps, userId: string, projectId: string) {
  const { access } = await openRepo(deps, userId, projectId, "editor");
  return withGitLock(deps, access.project.id, async () => {
    const { repo } = await openRepo(deps, userId, projectId, "editor");
    const workspace = await workspaceOf(deps, repo);
    try {
      const result = await git.push({
        ...repoOptions(workspace),
        ...remoteOptions(deps, await openGitToken(deps, userId, repo.remoteUrl)),
        remote: "origin",
        ref: repo.branch,
        remoteRef: repo.branch,
      });
      if (!result.ok)
        throw new ConflictError(`The remote refused the push: ${result.error ?? "no reason given"}`);
    } catch (error) {
      throw remoteError(error);
    }
    await (await deps.db.get()).transaction((tx) =>
      saveRepo(tx, repo, workspace, { remoteOid: repo.headOid }),
    );
    return { oid: repo.headOid };
  });
}

/**
 * Fetch the branch and fast-forward the project to it (editors and the owner). A branch that
 * diverged from the project's commits, or an incoming change to a file with uncommitted
 * changes here, is a 409 and changes nothing. Pulled files are stored as uploads are: open
 * editors of a pulled text file receive it as an edit.
 */
export async function pullChanges(deps: GitDeps, userId: string, projectId: string) {
  const { access } = await openRepo(deps, userId, projectId, "editor");
  return withGitLock(deps, access.project.id, async () => {
    const { repo, changes, files: held } = await openRepo(deps, userId, projectId, "editor");
    const workspace = await workspaceOf(deps, repo);
    const options = repoOptions(workspace);
    let fetched: string | null;
    try {
      const result = await git.fetch({
        ...options,
        ...remoteOptions(deps, await openGitToken(deps, userId, repo.remoteUrl)),
        remote: "origin",
        ref: repo.branch,
        singleBranch: true,
        tags: false,
      });
      fetched = result.fetchHead;
    } catch (error) {
      throw remoteError(error);
    }
    const db = await deps.db.get();
    const incoming = fetched ?? repo.remoteOid;
    const fastForward =
      incoming !== repo.headOid &&
      (await git.isDescendent({ ...options, oid: incoming, ancestor: repo.headOid, depth: -1 }));
    if (!fastForward) {
      const upToDate =
        incoming === repo.headOid ||
        (await git.isDescendent({ ...options, oid: repo.headOid, ancestor: incoming, depth: -1 }));
      if (!upToDate)
        throw new ConflictError(
          "The remote branch and this project's commits have diverged; pulling would need a merge, which is not supported",
        );
      await db.transaction((tx) =>
        saveRepo(tx, repo, workspace, { remoteOid: incoming, shallow: shallowOf(workspace) }),
      );
      return { oid: repo.headOid };
    }
    const tree = await flattenTree(workspace, incoming);
    const paths = changedPaths(repo.tree, tree);
    const local = new Set(changes.map((c) => c.path));
    const clashes = paths.filter((p) => local.has(p));
    if (clashes.length > 0)
      throw new ConflictError(
        `Uncommitted changes would be overwritten by the pull: ${clashes.join(", ")}. Commit or undo them first`,
        { paths: clashes },
      );
    const { files: written, skipped } = await readTreeFiles(workspace, tree, paths);
    const present = new Set(held.map((f) => f.path));
    // A file gone from the branch goes; so does one the project can no longer hold (it grew
    // over the limit, or became a link), or a later commit would write the old copy back.
    const unheld = new Set(skipped.map((s) => s.path));
    const removed = paths.filter((p) => (!tree[p] || unheld.has(p)) && present.has(p));
    const { project } = access;
    const store = (documents?: FileReplacements) =>
      writingProject(deps, access, () =>
        db.transaction(async (tx) => {
          await lockUser(tx, project.userId);
          if (written.length > 0)
            await storeAll(tx, deps.config.storage, {
              ownerId: project.userId,
              projectId: project.id,
              userId,
              files: written,
              documents,
            });
          for (const path of removed) await files.deletePath(tx, project.id, path);
          await touchProject(tx, project.id);
          const stillSkipped = repo.skipped.filter((p) => tree[p] && !paths.includes(p));
          await saveRepo(tx, repo, workspace, {
            headOid: incoming,
            remoteOid: incoming,
            tree,
            shallow: shallowOf(workspace),
            skipped: [...stillSkipped, ...skipped.map((s) => s.path)],
          });
        }),
      );
    // Open editors of a pulled text file receive it as an edit, as for an upload.
    if (deps.collab) await deps.collab.replaceFiles(project.id, userId, replacementsOf(written), store);
    else await store();
    for (const path of paths) deps.context?.fileChanged(project.id, path);
    // A file deleted, or now bytes, is no edit: its editors are told it went (4404), or that
    // it was replaced (4409).
    if (removed.length > 0) await deps.collab?.filesRemoved(project.id, removed, "gone");
    const binary = written.filter((f) => f.data.encoding !== "utf8").map((f) => f.path);
    if (binary.length > 0) await deps.collab?.filesRemoved(project.id, binary, "replaced");
    return { oid: incoming };
  });
}
