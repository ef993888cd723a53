import git from "isomorphic-git";
import type { Config } from "../../config.ts";
import { listFileContents } from "../../db/queries/files.ts";
import * as queries from "../../db/queries/git.ts";
import { getUserById } from "../../db/queries/users.ts";
import type { GitRepo, GitTreeEntry } from "../../db/schema/git.ts";
import type { Database } from "../../db/types.ts";
import type { Deps } from "../../deps.ts";
import { ConflictError, NotFoundError } from "../../errors.ts";
import type { Ports } from "../../ports.ts";
import { projectAccess, type Role } from "../projects/access.ts";
import { type Change, compareWithTree, hashFiles } from "./changes.ts";
import { withGitLock } from "./lock.ts";
import { loadWorkspace, newObjects, repoOptions, type Workspace, writeFlatTree } from "./workspace.ts";

/** What the git services use: the stores, the cache (for the per-project lock) and the limits. */
export type GitDeps = Pick<Ports, "db" | "memo" | "cache"> & {
  config: Pick<Config, "storage" | "git" | "jwtSecret">;
} & Partial<Pick<Deps, "context" | "collab">>;

/** The caller's access to a project linked to git, its repository row, and its files compared with the last commit. */
export async function openRepo(deps: GitDeps, userId: string, projectId: string, need: Role) {
  const access = await projectAccess(deps, userId, projectId, need);
  const db = await deps.db.get();
  const repo = await queries.getGitRepo(db, access.project.id);
  if (!repo) throw new NotFoundError("Git repository");
  // Keystrokes still in live documents belong to the files being compared.
  await deps.collab?.flushFiles(access.project.id, () => true);
  const files = await hashFiles(await listFileContents(db, access.project.id));
  return { access, repo, files, changes: compareWithTree(files, repo.tree, repo.skipped) };
}

/** The repository with every object it holds, in memory. */
export async function workspaceOf(deps: GitDeps, repo: GitRepo): Promise<Workspace> {
  return loadWorkspace(repo, await queries.listGitObjects(await deps.db.get(), repo.projectId));
}

/**
 * Commits reachable from `from` and not from `to`, counted along first parents: none when `to`
 * already contains `from`; else up to `to`, or to the shallow edge of what was fetched.
 */
async function distance(workspace: Workspace, from: string, to: string): Promise<number> {
  const options = repoOptions(workspace);
  if (from === to || (await git.isDescendent({ ...options, oid: to, ancestor: from, depth: -1 }))) return 0;
  let count = 0;
  let oid: string | undefined = from;
  while (oid && oid !== to && count < 10_000) {
    count++;
    oid = (await git.readCommit({ ...options, oid })).commit.parent[0];
    if (oid && !(await git.readObject({ ...options, oid, format: "deflated" }).catch(() => undefined))) break;
  }
  return count;
}

/** The branch, remote, commits ahead of and behind the remote as last seen, and the files changed since the last commit. */
export async function gitStatus(deps: GitDeps, userId: string, projectId: string) {
  return statusOf(deps, await openRepo(deps, userId, projectId, "viewer"));
}

/** `gitStatus` of a repository already opened, for a caller that needs its files too. */
export async function statusOf(deps: GitDeps, { repo, changes }: Awaited<ReturnType<typeof openRepo>>) {
  let ahead = 0;
  let behind = 0;
  if (repo.headOid !== repo.remoteOid) {
    const workspace = await workspaceOf(deps, repo);
    ahead = await distance(workspace, repo.headOid, repo.remoteOid);
    behind = await distance(workspace, repo.remoteOid, repo.headOid);
  }
  return { branch: repo.branch, remote: repo.remoteUrl, ahead, behind, changes };
}

/**
 * Store a repository's new state inside `tx`: its new objects, and its row over the version it
 * was read at (another write in between is a 409, never a lost update).
 */
export async function saveRepo(
  tx: Database,
  repo: GitRepo,
  workspace: Workspace,
  fields: Parameters<typeof queries.updateGitRepo>[3],
): Promise<void> {
  await queries.addGitObjects(tx, repo.projectId, newObjects(workspace));
  const locked = await queries.lockGitRepo(tx, repo.projectId);
  if (
    locked?.version !== repo.version ||
    !(await queries.updateGitRepo(tx, repo.projectId, repo.version, fields))
  )
    throw new ConflictError("The repository changed during this operation; try again");
}

/** The author of a commit made by this user: their name (or email) and email. */
async function authorOf(deps: GitDeps, userId: string) {
  const user = await getUserById(await deps.db.get(), userId);
  if (!user) throw new NotFoundError("User");
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ").trim() || user.email;
  return { name, email: user.email, timestamp: Math.floor(Date.now() / 1000), timezoneOffset: 0 };
}

/** The tree of the project's files as they are now, over the last commit's (skipped paths kept). */
async function currentTree(
  workspace: Workspace,
  repo: GitRepo,
  files: Awaited<ReturnType<typeof hashFiles>>,
  changes: Change[],
) {
  const tree: Record<string, GitTreeEntry> = {};
  const kept = new Set(repo.skipped);
  for (const [path, entry] of Object.entries(repo.tree)) if (kept.has(path)) tree[path] = entry;
  const changed = new Set(changes.map((c) => c.path));
  for (const file of files) {
    if (changed.has(file.path)) await git.writeBlob({ ...repoOptions(workspace), blob: file.bytes });
    tree[file.path] = { oid: file.oid, mode: repo.tree[file.path]?.mode ?? "100644" };
  }
  return tree;
}

/** Commit every change of the project's files (editors and the owner), authored by the caller. */
export async function commitChanges(deps: GitDeps, userId: string, projectId: string, message: string) {
  const { access } = await openRepo(deps, userId, projectId, "editor");
  return withGitLock(deps, access.project.id, async () => {
    const { repo, files, changes } = await openRepo(deps, userId, projectId, "editor");
    if (changes.length === 0) throw new ConflictError("Nothing to commit: the files match the last commit");
    const workspace = await workspaceOf(deps, repo);
    const tree = await currentTree(workspace, repo, files, changes);
    const author = await authorOf(deps, userId);
    const oid = await git.writeCommit({
      ...repoOptions(workspace),
      commit: {
        message: message.endsWith("\n") ? message : `${message}\n`,
        tree: await writeFlatTree(workspace, tree),
        parent: [repo.headOid],
        author,
        committer: author,
      },
    });
    await (await deps.db.get()).transaction((tx) => saveRepo(tx, repo, workspace, { headOid: oid, tree }));
    return { oid };
  });
}
