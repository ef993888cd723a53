import type { GitTreeEntry } from "../../db/schema/git.ts";
import { fileBytes } from "../files/content.ts";
import { blobOid } from "./workspace.ts";

/** How a file differs from the last commit. */
type ChangeStatus = "added" | "modified" | "deleted";

export interface Change {
  path: string;
  status: ChangeStatus;
}

/** A project file with its bytes and git blob id. */
export interface HashedFile {
  path: string;
  bytes: Uint8Array;
  oid: string;
}

/** The project's files with their blob ids. */
export async function hashFiles(
  rows: { path: string; content: string; encoding: "utf8" | "base64" }[],
): Promise<HashedFile[]> {
  return Promise.all(
    rows.map(async (row) => {
      const bytes = fileBytes(row);
      return { path: row.path, bytes, oid: await blobOid(bytes) };
    }),
  );
}

/**
 * The project's files compared with a commit's tree, by path. Paths of the tree the project
 * does not hold (`skipped`) are not deletions: commits keep them as they were.
 */
export function compareWithTree(
  files: HashedFile[],
  tree: Record<string, GitTreeEntry>,
  skipped: readonly string[],
): Change[] {
  const changes: Change[] = [];
  const present = new Set<string>();
  for (const file of files) {
    present.add(file.path);
    const base = tree[file.path];
    if (!base) changes.push({ path: file.path, status: "added" });
    else if (base.oid !== file.oid) changes.push({ path: file.path, status: "modified" });
  }
  const kept = new Set(skipped);
  for (const path of Object.keys(tree))
    if (!present.has(path) && !kept.has(path)) changes.push({ path, status: "deleted" });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The paths whose entry differs between two trees (added, changed or removed). */
export function changedPaths(from: Record<string, GitTreeEntry>, to: Record<string, GitTreeEntry>): string[] {
  const paths = new Set([...Object.keys(from), ...Object.keys(to)]);
  return [...paths].filter((p) => from[p]?.oid !== to[p]?.oid || from[p]?.mode !== to[p]?.mode).sort();
}
