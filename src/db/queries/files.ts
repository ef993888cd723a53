import { and, asc, desc, eq, like, lt, or, sql, sum } from "drizzle-orm";
import { fileVersions } from "../schema/file-versions.ts";
import { type ProjectFile, projectFiles } from "../schema/project-files.ts";
import type { Database } from "../types.ts";

/** How many earlier versions each file keeps. */
export const HISTORY_LIMIT = 50;

export type FileListing = Pick<ProjectFile, "path" | "sizeBytes" | "version" | "updatedAt">;

/** Every file of a project (callers have asked the access guard), by path. */
export async function listFiles(db: Database, projectId: string): Promise<FileListing[]> {
  return db
    .select({
      path: projectFiles.path,
      sizeBytes: projectFiles.sizeBytes,
      version: projectFiles.version,
      updatedAt: projectFiles.updatedAt,
    })
    .from(projectFiles)
    .where(eq(projectFiles.projectId, projectId))
    .orderBy(asc(projectFiles.path));
}

export async function getFile(
  db: Database,
  projectId: string,
  path: string,
): Promise<ProjectFile | undefined> {
  const [row] = await db
    .select()
    .from(projectFiles)
    .where(and(eq(projectFiles.projectId, projectId), eq(projectFiles.path, path)))
    .limit(1);
  return row;
}

/** Total bytes stored in a project, optionally not counting one path (the file being replaced). */
export async function projectBytes(db: Database, projectId: string, except?: string): Promise<number> {
  const [row] = await db
    .select({ total: sum(projectFiles.sizeBytes) })
    .from(projectFiles)
    .where(
      and(eq(projectFiles.projectId, projectId), except ? sql`${projectFiles.path} <> ${except}` : undefined),
    );
  return Number(row?.total ?? 0);
}

/** The content a save writes, measured once. */
export interface FileContent {
  content: string;
  sizeBytes: number;
  contentHash: string;
  language: string;
}

/**
 * Create the file or replace its content, bumping `version`. With `baseVersion`, the update
 * only happens if the stored version still equals it; returns undefined when it did not
 * (a stale save). Records the new version in the history and trims it to HISTORY_LIMIT.
 */
export async function writeFile(
  db: Database,
  projectId: string,
  path: string,
  data: FileContent,
  options: { baseVersion?: number | undefined; userId: string },
): Promise<ProjectFile | undefined> {
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: projectFiles.id, version: projectFiles.version })
      .from(projectFiles)
      .where(and(eq(projectFiles.projectId, projectId), eq(projectFiles.path, path)))
      .for("update");
    const base = options.baseVersion;
    if (base !== undefined && (existing?.version ?? 0) !== base) return undefined;
    const [file] = existing
      ? await tx
          .update(projectFiles)
          .set({ ...data, version: existing.version + 1, updatedAt: new Date() })
          .where(eq(projectFiles.id, existing.id))
          .returning()
      : await tx
          .insert(projectFiles)
          .values({ projectId, path, ...data, version: 1 })
          .returning();
    await tx.insert(fileVersions).values({
      fileId: file!.id,
      projectId,
      path,
      version: file!.version,
      content: data.content,
      contentHash: data.contentHash,
      sizeBytes: data.sizeBytes,
      createdBy: options.userId,
    });
    await tx
      .delete(fileVersions)
      .where(
        and(eq(fileVersions.fileId, file!.id), lt(fileVersions.version, file!.version - HISTORY_LIMIT + 1)),
      );
    return file;
  });
}

/** Delete a file, or every file under a folder prefix; returns how many went. */
export async function deletePath(db: Database, projectId: string, path: string): Promise<number> {
  const deleted = await db
    .delete(projectFiles)
    .where(
      and(
        eq(projectFiles.projectId, projectId),
        or(eq(projectFiles.path, path), like(projectFiles.path, `${escapeLike(path)}/%`)),
      ),
    )
    .returning({ id: projectFiles.id });
  return deleted.length;
}

/** Paths of the file or the files under the folder `path`. */
export async function pathsUnder(db: Database, projectId: string, path: string): Promise<string[]> {
  const rows = await db
    .select({ path: projectFiles.path })
    .from(projectFiles)
    .where(
      and(
        eq(projectFiles.projectId, projectId),
        or(eq(projectFiles.path, path), like(projectFiles.path, `${escapeLike(path)}/%`)),
      ),
    );
  return rows.map((r) => r.path);
}

/** Move files to new paths in one transaction (a file rename, or every file of a folder). */
export async function movePaths(
  db: Database,
  projectId: string,
  moves: { from: string; to: string; language: string }[],
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const { from, to, language } of moves) {
      await tx
        .update(projectFiles)
        .set({ path: to, language, updatedAt: new Date() })
        .where(and(eq(projectFiles.projectId, projectId), eq(projectFiles.path, from)));
    }
  });
}

/** The saved versions of a file, newest first; `content` only when asked for (it can be 50 × 1 MiB). */
export async function listVersions(db: Database, fileId: string, options: { withContent?: boolean } = {}) {
  const rows = await db
    .select({
      version: fileVersions.version,
      sizeBytes: fileVersions.sizeBytes,
      createdAt: fileVersions.createdAt,
      ...(options.withContent ? { content: fileVersions.content } : {}),
    })
    .from(fileVersions)
    .where(eq(fileVersions.fileId, fileId))
    .orderBy(desc(fileVersions.version));
  return rows as { version: number; sizeBytes: number; createdAt: Date; content?: string }[];
}

export async function getVersion(db: Database, fileId: string, version: number) {
  const [row] = await db
    .select()
    .from(fileVersions)
    .where(and(eq(fileVersions.fileId, fileId), eq(fileVersions.version, version)))
    .limit(1);
  return row;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
