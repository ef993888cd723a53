import git from "isomorphic-git";
import type { FileContent } from "../../db/queries/files.ts";
import type { GitTreeEntry } from "../../db/schema/git.ts";
import { AppError } from "../../errors.ts";
import { MAX_BINARY_FILE_BYTES, measureBytes } from "../files/content.ts";
import { formatBytes } from "../files/format.ts";
import { validatePath } from "../files/paths.ts";
import { repoOptions, type Workspace } from "./workspace.ts";

/** A path of a commit the project does not hold as a file, and why. */
interface SkippedFile {
  path: string;
  reason: string;
}

/** Regular files (plain and executable); other modes are symlinks and submodules. */
const FILE_MODES = new Set(["100644", "100755"]);

/**
 * The files of a commit's tree at `paths` as the project stores them, and the paths it cannot
 * hold: symbolic links, submodules, paths its rules refuse, files over the store's 5 MiB limit.
 * Text the editor cannot hold (over 1 MiB, not UTF-8) is kept as bytes, as uploads are.
 */
export async function readTreeFiles(
  workspace: Workspace,
  tree: Record<string, GitTreeEntry>,
  paths: Iterable<string>,
) {
  const files: { path: string; data: FileContent }[] = [];
  const skipped: SkippedFile[] = [];
  for (const path of paths) {
    const entry = tree[path];
    if (!entry) continue;
    if (entry.mode === "120000") skipped.push({ path, reason: "a symbolic link" });
    else if (entry.mode === "160000") skipped.push({ path, reason: "a submodule" });
    else if (!FILE_MODES.has(entry.mode))
      skipped.push({ path, reason: `an unsupported mode (${entry.mode})` });
    else {
      try {
        validatePath(path);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        skipped.push({ path, reason: "a path the project cannot hold" });
        continue;
      }
      const { blob } = await git.readBlob({ ...repoOptions(workspace), oid: entry.oid });
      if (blob.byteLength > MAX_BINARY_FILE_BYTES)
        skipped.push({ path, reason: `over the ${formatBytes(MAX_BINARY_FILE_BYTES)} file limit` });
      else files.push({ path, data: measureBytes(path, blob) });
    }
  }
  return { files, skipped };
}
