import git from "isomorphic-git";
import type { GitRepo, GitTreeEntry } from "../../db/schema/git.ts";
import { MemoryFs } from "./memory-fs.ts";

/** The folder a repository is rebuilt in (bare: the project's files are its working copy). */
const GITDIR = "/.git";

/** A repository rebuilt in memory, and the object files it was loaded with. */
export interface Workspace {
  fs: MemoryFs;
  loaded: Set<string>;
}

/** An empty repository (for a clone). */
export function emptyWorkspace(): Workspace {
  return { fs: new MemoryFs(), loaded: new Set() };
}

/**
 * Rebuild a repository from its rows: the object files as stored, and the refs, config and
 * shallow list from its metadata.
 */
export function loadWorkspace(repo: GitRepo, objects: { name: string; data: Uint8Array }[]): Workspace {
  const fs = new MemoryFs();
  for (const { name, data } of objects) fs.put(`${GITDIR}/objects/${name}`, data);
  fs.put(`${GITDIR}/HEAD`, `ref: refs/heads/${repo.branch}\n`);
  fs.put(`${GITDIR}/refs/heads/${repo.branch}`, `${repo.headOid}\n`);
  fs.put(`${GITDIR}/refs/remotes/origin/${repo.branch}`, `${repo.remoteOid}\n`);
  if (repo.shallow) fs.put(`${GITDIR}/shallow`, repo.shallow);
  fs.put(
    `${GITDIR}/config`,
    [
      "[core]",
      "\trepositoryformatversion = 0",
      "\tbare = false",
      '[remote "origin"]',
      `\turl = ${repo.remoteUrl}`,
      "\tfetch = +refs/heads/*:refs/remotes/origin/*",
      `[branch "${repo.branch}"]`,
      "\tremote = origin",
      `\tmerge = refs/heads/${repo.branch}`,
      "",
    ].join("\n"),
  );
  return { fs, loaded: new Set(objects.map((o) => o.name)) };
}

/** The object files an operation added, to store beside the ones loaded. */
export function newObjects(workspace: Workspace): { name: string; data: Uint8Array }[] {
  return [...workspace.fs.filesUnder(`${GITDIR}/objects`)]
    .filter(([name]) => !workspace.loaded.has(name))
    .map(([name, data]) => ({ name, data }));
}

/** The shallow list as the operation left it. */
export function shallowOf(workspace: Workspace): string {
  return workspace.fs.filesUnder(GITDIR).get("shallow")?.toString() ?? "";
}

/** The options every isomorphic-git call takes. */
export function repoOptions(workspace: Workspace) {
  return { fs: workspace.fs, gitdir: GITDIR, dir: "/" } as const;
}

/** A commit's whole tree flattened to path → entry (blobs, symlinks and submodules; no folders). */
export async function flattenTree(
  workspace: Workspace,
  commitOid: string,
): Promise<Record<string, GitTreeEntry>> {
  const flat: Record<string, GitTreeEntry> = {};
  const walk = async (oid: string, prefix: string): Promise<void> => {
    const { tree } = await git.readTree({ ...repoOptions(workspace), oid });
    for (const entry of tree) {
      const path = prefix + entry.path;
      if (entry.type === "tree") await walk(entry.oid, `${path}/`);
      else flat[path] = { oid: entry.oid, mode: entry.mode };
    }
  };
  const { commit } = await git.readCommit({ ...repoOptions(workspace), oid: commitOid });
  await walk(commit.tree, "");
  return flat;
}

type TreeNode = { files: Map<string, GitTreeEntry>; dirs: Map<string, TreeNode> };

/** Write the trees of a flat path → entry map and return the root tree's oid. */
export async function writeFlatTree(
  workspace: Workspace,
  flat: Record<string, GitTreeEntry>,
): Promise<string> {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const [path, entry] of Object.entries(flat)) {
    const parts = path.split("/");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node.dirs.get(part) ?? { files: new Map(), dirs: new Map() };
      node.dirs.set(part, next);
      node = next;
    }
    node.files.set(parts.at(-1)!, entry);
  }
  const write = async (node: TreeNode): Promise<string> => {
    const tree = [];
    for (const [name, child] of node.dirs)
      tree.push({ path: name, mode: "040000", oid: await write(child), type: "tree" as const });
    for (const [name, entry] of node.files)
      tree.push({
        path: name,
        mode: entry.mode,
        oid: entry.oid,
        type: entry.mode === "160000" ? ("commit" as const) : ("blob" as const),
      });
    return git.writeTree({ ...repoOptions(workspace), tree });
  };
  return write(root);
}

/** The git blob id of some bytes, as `git hash-object` gives it. */
export async function blobOid(bytes: Uint8Array): Promise<string> {
  return (await git.hashBlob({ object: bytes })).oid;
}
