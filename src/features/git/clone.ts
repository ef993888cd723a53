import git from "isomorphic-git";
import { userScope } from "../../adapters/cache/memo.ts";
import { addGitObjects, insertGitRepo } from "../../db/queries/git.ts";
import * as projects from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import { PayloadTooLargeError, ValidationError } from "../../errors.ts";
import { formatBytes } from "../files/format.ts";
import { MAX_UPLOAD_FILES, storeAll } from "../files/transfer.ts";
import { mainLanguage } from "../projects/import.ts";
import { assertUnderProjectLimit, getProject } from "../projects/service.ts";
import { saveGitToken } from "./credentials.ts";
import { remoteError } from "./errors.ts";
import { readTreeFiles } from "./intake.ts";
import { assertPublicHost, guardedHttp, parseRemoteUrl } from "./remote.ts";
import type { GitDeps } from "./service.ts";
import { emptyWorkspace, flattenTree, newObjects, repoOptions, shallowOf } from "./workspace.ts";

/** How far a clone has got: a phase as git names it ("Receiving objects") and, when known, a fraction. */
export interface CloneProgress {
  phase: string;
  loaded: number;
  total: number;
}

/** A project name from a remote URL (`…/octo/site.git` → `site`). */
function nameFromRemote(url: URL): string {
  const last = url.pathname.split("/").filter(Boolean).at(-1) ?? "";
  return (last.replace(/\.git$/i, "") || url.hostname).slice(0, 100);
}

/** Basic auth for a remote from a personal access token (the user name is ignored by GitHub and most hosts). */
export function tokenAuth(token: string | undefined) {
  return token ? () => ({ username: "x-access-token", password: token }) : undefined;
}

/**
 * The remote's HEAD names a branch with no commits (a default branch never pushed to, while
 * others were): isomorphic-git cannot find HEAD and fails the clone, even of another branch
 * that has commits. A 400 naming `url`, since no branch given can get past it.
 */
function unbornHead(error: unknown): ValidationError | undefined {
  const e = error as { code?: string; data?: { what?: string } };
  if (e.code !== "NotFoundError" || e.data?.what !== "HEAD") return undefined;
  return new ValidationError(
    "url: the repository's default branch has no commits; push to it (or make a branch with commits the default) and import again",
    "url",
  );
}

/**
 * Create a project from a git remote: a shallow clone (depth 1) of its default branch or
 * `branch`, its files stored as the project's, the remote, branch and commit remembered.
 * Files the project cannot hold are listed in `skipped`. A given token is saved (encrypted)
 * as the user's for later pushes and pulls. One transaction: a refusal leaves nothing behind.
 */
export async function importRepository(
  deps: GitDeps,
  userId: string,
  input: { url: string; branch?: string | undefined; token?: string | undefined },
  onProgress?: (progress: CloneProgress) => void,
) {
  const url = parseRemoteUrl(input.url);
  const policy = {
    allowPrivate: deps.config.git.allowPrivateRemotes,
    maxBytes: deps.config.git.maxFetchBytes,
  };
  await assertPublicHost(url, policy);
  const workspace = emptyWorkspace();
  const options = repoOptions(workspace);
  try {
    await git.clone({
      ...options,
      http: guardedHttp(policy),
      url: url.href,
      ...(input.branch ? { ref: input.branch } : {}),
      singleBranch: true,
      depth: 1,
      noCheckout: true,
      noTags: true,
      onAuth: tokenAuth(input.token),
      onAuthFailure: () => ({ cancel: true }),
      ...(onProgress
        ? { onProgress: (p) => onProgress({ phase: p.phase, loaded: p.loaded, total: p.total }) }
        : {}),
    });
  } catch (error) {
    throw unbornHead(error) ?? remoteError(error, input.branch);
  }
  // A remote with no refs at all (an empty repository) clones without error, and without a HEAD.
  const headOid = await git.resolveRef({ ...options, ref: "HEAD" }).catch(() => undefined);
  if (!headOid) throw new ValidationError("url: the repository is empty: it has no commits to import", "url");
  const branch = (await git.currentBranch({ ...options, fullname: false })) ?? input.branch ?? "main";
  const tree = await flattenTree(workspace, headOid);
  const { files, skipped } = await readTreeFiles(workspace, tree, Object.keys(tree).sort());
  if (files.length > MAX_UPLOAD_FILES)
    throw new PayloadTooLargeError(
      `The repository has ${files.length} files; a project imported from git holds at most ${MAX_UPLOAD_FILES}`,
    );
  const total = files.reduce((sum, f) => sum + f.data.sizeBytes, 0);
  const { storage } = deps.config;
  if (total > storage.projectBytes)
    throw new PayloadTooLargeError(
      `The repository's files take ${formatBytes(total)}, over the ${formatBytes(storage.projectBytes)} project limit`,
    );
  const db = await deps.db.get();
  const project = await deps.memo.writing(userScope(userId), () =>
    db.transaction(async (tx) => {
      await lockUser(tx, userId);
      await assertUnderProjectLimit(tx, storage, userId);
      const created = await projects.insertProject(tx, {
        userId,
        name: nameFromRemote(url),
        description: null,
        language: mainLanguage(files.map((f) => f.path)),
        template: null,
      });
      if (files.length > 0)
        await storeAll(tx, storage, { ownerId: userId, projectId: created.id, userId, files });
      await insertGitRepo(tx, created.id, {
        remoteUrl: url.href,
        branch,
        headOid,
        remoteOid: headOid,
        shallow: shallowOf(workspace),
        tree,
        skipped: skipped.map((s) => s.path),
      });
      await addGitObjects(tx, created.id, newObjects(workspace));
      return created;
    }),
  );
  // The token is for this remote's host: pushes and pulls elsewhere go without it.
  if (input.token) await saveGitToken(deps, userId, input.token, url.host);
  deps.context?.projectChanged(project.id);
  return { ...(await getProject(deps, userId, project.id)), skipped };
}
