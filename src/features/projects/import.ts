import { userScope } from "../../adapters/cache/memo.ts";
import type { Config } from "../../config.ts";
import * as projects from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import { MAX_BINARY_FILE_BYTES } from "../files/content.ts";
import { languageOf } from "../files/paths.ts";
import { checkIncoming, MAX_UPLOAD_FILES, storeAll } from "../files/transfer.ts";
import { readZip } from "../files/zip.ts";
import { LANGUAGES } from "./model.ts";
import { assertUnderProjectLimit, getProject, type ProjectDeps } from "./service.ts";

type ImportDeps = ProjectDeps & { config: Pick<Config, "storage"> };

/** The project language most of the archive's files are written in, or null when none is. */
export function mainLanguage(paths: string[]): string | null {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const language = languageOf(path);
    if ((LANGUAGES as readonly string[]).includes(language))
      counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/**
 * Create a project from a .zip archive: every entry a file at its path. Entry names that escape
 * the project, too many entries, or sizes over the limits (declared or inflated) are a 400
 * naming the problem; a limit of the owner's a 413 or 403. One transaction: a refused archive
 * leaves no project and no file behind.
 */
export async function importProject(
  deps: ImportDeps,
  userId: string,
  input: { zip: Uint8Array; name: string },
) {
  const { storage } = deps.config;
  const entries = readZip(input.zip, {
    maxEntries: MAX_UPLOAD_FILES,
    maxFileBytes: MAX_BINARY_FILE_BYTES,
    maxTotalBytes: storage.projectBytes,
  });
  const measured = checkIncoming(entries);
  const db = await deps.db.get();
  const project = await deps.memo.writing(userScope(userId), () =>
    db.transaction(async (tx) => {
      await lockUser(tx, userId);
      await assertUnderProjectLimit(tx, storage, userId);
      const created = await projects.insertProject(tx, {
        userId,
        name: input.name,
        description: null,
        language: mainLanguage(measured.map((f) => f.path)),
        template: null,
      });
      await storeAll(tx, storage, { ownerId: userId, projectId: created.id, userId, files: measured });
      return created;
    }),
  );
  deps.context?.projectChanged(project.id);
  return getProject(deps, userId, project.id);
}

/** A project name from an uploaded archive's file name (`site.zip` → `site`), within the name limit. */
export function nameFromFile(fileName: string | undefined): string {
  const base = (fileName ?? "")
    .split(/[\\/]/)
    .at(-1)!
    .replace(/\.zip$/i, "")
    .trim();
  return (base || "Imported project").slice(0, 100);
}
