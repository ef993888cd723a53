import git from "isomorphic-git";
import { getGitRepo } from "../../db/queries/git.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { lineDiff } from "../editor/history.ts";
import type { Change } from "./changes.ts";
import { type GitDeps, openRepo, statusOf, workspaceOf } from "./service.ts";
import { repoOptions } from "./workspace.ts";

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as text for a diff; undefined for a binary file. */
function asText(bytes: Uint8Array | undefined): string | undefined {
  if (!bytes) return "";
  if (bytes.includes(0)) return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A changed file with its line diff against the last commit (none for a binary file). */
export interface ChangeWithDiff extends Change {
  diff: ReturnType<typeof lineDiff> | undefined;
}

/** Whether the project came from a git remote (callers have asked the access guard for the project). */
export async function isGitProject(deps: Pick<GitDeps, "db">, projectId: string): Promise<boolean> {
  return Boolean(await getGitRepo(await deps.db.get(), projectId));
}

/** What the Source Control panel shows: the status, the caller's role, and each change with its diff. */
export async function sourceControl(deps: GitDeps, userId: string, projectId: string) {
  const opened = await openRepo(deps, userId, projectId, "viewer");
  const status = await statusOf(deps, opened);
  const { access, repo, files } = opened;
  const needsBase = status.changes.some((c) => c.status !== "added");
  const workspace = needsBase ? await workspaceOf(deps, repo) : undefined;
  const current = new Map(files.map((f) => [f.path, f.bytes]));
  const changes: ChangeWithDiff[] = [];
  for (const change of status.changes) {
    const base = repo.tree[change.path];
    const before =
      base && workspace ? (await git.readBlob({ ...repoOptions(workspace), oid: base.oid })).blob : undefined;
    const [a, b] = [asText(before), asText(current.get(change.path))];
    changes.push({ ...change, diff: a === undefined || b === undefined ? undefined : lineDiff(a, b) });
  }
  return { ...status, role: access.role, changes };
}

/**
 * One changed file's text at the last commit and now, for the side-by-side view: "" for the
 * side where it does not exist. Any member may read it (as the status); a path that is not a
 * change is a 404, a binary file a 400.
 */
export async function changeTexts(deps: GitDeps, userId: string, projectId: string, path: string) {
  const { repo, files, changes } = await openRepo(deps, userId, projectId, "viewer");
  const change = changes.find((c) => c.path === path);
  if (!change) throw new NotFoundError("Change");
  const base = repo.tree[path];
  const before = base
    ? (await git.readBlob({ ...repoOptions(await workspaceOf(deps, repo)), oid: base.oid })).blob
    : undefined;
  const [a, b] = [asText(before), asText(files.find((f) => f.path === path)?.bytes)];
  if (a === undefined || b === undefined) throw new ValidationError("path: is a binary file", "path");
  return { path, status: change.status, before: a, after: b };
}
