import { and, asc, desc, eq, inArray, like, lt, not, or, sql } from "drizzle-orm";
import { fileTombstones } from "../schema/file-tombstones.ts";
import { fileVersions } from "../schema/file-versions.ts";
import { type FileEncoding, type ProjectFile, projectFiles } from "../schema/project-files.ts";
import { projects } from "../schema/projects.ts";
import { users } from "../schema/users.ts";
import type { Database } from "../types.ts";
import { dropDocs } from "./live-documents.ts";

/** How many earlier versions each file keeps. */
export const HISTORY_LIMIT = 50;

export type FileListing = Pick<ProjectFile, "path" | "sizeBytes" | "version" | "updatedAt" | "encoding">;

/** Every file of a project (callers have asked the access guard), by path. */
export async function listFiles(db: Database, projectId: string): Promise<FileListing[]> {
  return db
    .select({
      path: projectFiles.path,
      sizeBytes: projectFiles.sizeBytes,
      version: projectFiles.version,
      updatedAt: projectFiles.updatedAt,
      encoding: projectFiles.encoding,
    })
    .from(projectFiles)
    .where(eq(projectFiles.projectId, projectId))
    .orderBy(asc(projectFiles.path));
}

/** Every file of a project with its content, by path (for an archive; at most the project's size limit). */
export async function listFileContents(
  db: Database,
  projectId: string,
): Promise<Pick<ProjectFile, "path" | "content" | "encoding">[]> {
  return db
    .select({ path: projectFiles.path, content: projectFiles.content, encoding: projectFiles.encoding })
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

/** The file at `path`, locked for the rest of the transaction; undefined when there is none. */
export async function lockFile(
  db: Database,
  projectId: string,
  path: string,
): Promise<Pick<ProjectFile, "id" | "version" | "sizeBytes" | "contentHash"> | undefined> {
  const [row] = await db
    .select({
      id: projectFiles.id,
      version: projectFiles.version,
      sizeBytes: projectFiles.sizeBytes,
      contentHash: projectFiles.contentHash,
    })
    .from(projectFiles)
    .where(and(eq(projectFiles.projectId, projectId), eq(projectFiles.path, path)))
    .for("update");
  return row;
}

/** The folders `a`, `a/b` that hold the path `a/b/c`. */
export function parentFolders(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * What a new file at `path` would clash with, a path being either a file or a folder, never
 * both: a file at one of its parent folders (`parent`), or a file under `path` itself (`child`).
 */
export async function pathClash(
  db: Database,
  projectId: string,
  path: string,
): Promise<{ path: string; kind: "parent" | "child" } | undefined> {
  const parents = parentFolders(path);
  const [row] = await db
    .select({ path: projectFiles.path })
    .from(projectFiles)
    .where(
      and(
        eq(projectFiles.projectId, projectId),
        or(
          parents.length > 0 ? inArray(projectFiles.path, parents) : undefined,
          like(projectFiles.path, `${escapeLike(path)}/%`),
        ),
      ),
    )
    .orderBy(asc(projectFiles.path))
    .limit(1);
  if (!row) return undefined;
  return { path: row.path, kind: parents.includes(row.path) ? "parent" : "child" };
}

/**
 * Bytes of file content stored in the project and across every project of its owner, not
 * counting the file at `except` (the one a save replaces).
 */
export async function storageUsage(
  db: Database,
  input: { ownerId: string; projectId: string; except?: string },
): Promise<{ project: number; owner: number }> {
  const [row] = await db
    .select({
      project: sql<string>`coalesce(sum(${projectFiles.sizeBytes}) filter (where ${projectFiles.projectId} = ${input.projectId}), 0)`,
      owner: sql<string>`coalesce(sum(${projectFiles.sizeBytes}), 0)`,
    })
    .from(projectFiles)
    .innerJoin(projects, eq(projects.id, projectFiles.projectId))
    .where(
      and(
        eq(projects.userId, input.ownerId),
        input.except === undefined
          ? undefined
          : not(and(eq(projectFiles.projectId, input.projectId), eq(projectFiles.path, input.except))!),
      ),
    );
  return { project: Number(row?.project ?? 0), owner: Number(row?.owner ?? 0) };
}

/** The content a save writes, measured once. */
export interface FileContent {
  content: string;
  /** How `content` holds the bytes (base64 for a binary file). */
  encoding: FileEncoding;
  sizeBytes: number;
  contentHash: string;
  language: string;
}

/**
 * Take the tombstone of `path`: the last version a deleted or moved-away file there reached,
 * or undefined. The row goes (a file holds the path again), inside the caller's transaction.
 */
async function takeTombstone(db: Database, projectId: string, path: string): Promise<number | undefined> {
  const [row] = await db
    .delete(fileTombstones)
    .where(and(eq(fileTombstones.projectId, projectId), eq(fileTombstones.path, path)))
    .returning({ lastVersion: fileTombstones.lastVersion });
  return row?.lastVersion;
}

/** Remember the last version of files that left their paths (deleted, or moved away). */
async function leaveTombstones(db: Database, projectId: string, gone: { path: string; version: number }[]) {
  if (gone.length === 0) return;
  await db
    .insert(fileTombstones)
    .values(gone.map((g) => ({ projectId, path: g.path, lastVersion: g.version })))
    .onConflictDoUpdate({
      target: [fileTombstones.projectId, fileTombstones.path],
      set: { lastVersion: sql`greatest(${fileTombstones.lastVersion}, excluded.last_version)` },
    });
}

/**
 * Keep the file's current content in its history (once per version), with everyone whose
 * edits it holds, and trim the history to HISTORY_LIMIT.
 */
export async function recordVersion(
  db: Database,
  file: ProjectFile,
  userId: string | null,
  authors: readonly string[] = userId ? [userId] : [],
): Promise<void> {
  await db
    .insert(fileVersions)
    .values({
      fileId: file.id,
      projectId: file.projectId,
      path: file.path,
      version: file.version,
      content: file.content,
      encoding: file.encoding,
      contentHash: file.contentHash,
      sizeBytes: file.sizeBytes,
      createdBy: userId,
      authors: [...authors],
    })
    .onConflictDoNothing();
  await db
    .delete(fileVersions)
    .where(and(eq(fileVersions.fileId, file.id), lt(fileVersions.version, file.version - HISTORY_LIMIT + 1)));
}

/**
 * Replace the content of `current` (the file's locked row, see lockFile), bumping its version,
 * or create the file when there is none: at version 1, or one above the last version the path
 * reached before (its tombstone), so versions never repeat at a path. Records the version in
 * the history and trims it to HISTORY_LIMIT. Run inside a transaction; the caller has checked
 * the base version, the path rule and the limits.
 */
export async function putFile(
  db: Database,
  projectId: string,
  path: string,
  data: FileContent,
  options: {
    current: { id: string; version: number } | undefined;
    userId: string;
    /** False for a live document's write-through, whose history is kept at pauses instead. */
    history?: boolean;
  },
): Promise<ProjectFile> {
  const { current } = options;
  const [file] = current
    ? await db
        .update(projectFiles)
        .set({ ...data, version: current.version + 1, updatedAt: new Date() })
        .where(eq(projectFiles.id, current.id))
        .returning()
    : await db
        .insert(projectFiles)
        .values({ projectId, path, ...data, version: ((await takeTombstone(db, projectId, path)) ?? 0) + 1 })
        .returning();
  if (options.history !== false) await recordVersion(db, file!, options.userId);
  return file!;
}

/**
 * Delete the file at `path` — only that file — or, when there is none, every file under the
 * folder `path`. Leaves tombstones; returns the paths that went. Run inside a transaction.
 */
export async function deletePath(db: Database, projectId: string, path: string): Promise<string[]> {
  const gone = { path: projectFiles.path, version: projectFiles.version };
  let deleted = await db
    .delete(projectFiles)
    .where(and(eq(projectFiles.projectId, projectId), eq(projectFiles.path, path)))
    .returning(gone);
  if (deleted.length === 0)
    deleted = await db
      .delete(projectFiles)
      .where(and(eq(projectFiles.projectId, projectId), like(projectFiles.path, `${escapeLike(path)}/%`)))
      .returning(gone);
  await leaveTombstones(db, projectId, deleted);
  const paths = deleted.map((d) => d.path);
  await dropDocs(db, projectId, paths);
  return paths;
}

/**
 * Move files to new paths (a file rename, or every file of a folder), leaving tombstones at
 * the old paths. A file moved onto a path whose earlier file reached its version or beyond
 * continues one above that (recorded in its history with unchanged content), so versions
 * never repeat at a path. Run inside a transaction.
 */
export async function movePaths(
  db: Database,
  projectId: string,
  moves: { from: string; to: string; language: string; version: number }[],
  userId: string,
): Promise<void> {
  for (const { from, to, language, version } of moves) {
    const floor = (await takeTombstone(db, projectId, to)) ?? 0;
    const [moved] = await db
      .update(projectFiles)
      .set({ path: to, language, version: Math.max(version, floor + 1), updatedAt: new Date() })
      .where(and(eq(projectFiles.projectId, projectId), eq(projectFiles.path, from)))
      .returning();
    if (moved && moved.version !== version) await recordVersion(db, moved, userId);
  }
  // Moved files start new live documents at their new paths (browsers key theirs by lineage).
  await dropDocs(db, projectId, [...moves.map((m) => m.from), ...moves.map((m) => m.to)]);
  const targets = new Set(moves.map((m) => m.to));
  const left = moves.filter((m) => !targets.has(m.from));
  await leaveTombstones(
    db,
    projectId,
    left.map((m) => ({ path: m.from, version: m.version })),
  );
}

/** The saved versions of a file, newest first; `content` only when asked for (it can be 50 × 1 MiB). */
export async function listVersions(db: Database, fileId: string, options: { withContent?: boolean } = {}) {
  const rows = await db
    .select({
      version: fileVersions.version,
      sizeBytes: fileVersions.sizeBytes,
      createdAt: fileVersions.createdAt,
      authors: fileVersions.authors,
      encoding: fileVersions.encoding,
      ...(options.withContent ? { content: fileVersions.content } : {}),
    })
    .from(fileVersions)
    .where(eq(fileVersions.fileId, fileId))
    .orderBy(desc(fileVersions.version));
  const ids = [...new Set(rows.flatMap((r) => r.authors))];
  const names = new Map(
    ids.length === 0
      ? []
      : (
          await db
            .select({
              id: users.id,
              firstName: users.firstName,
              lastName: users.lastName,
              email: users.email,
            })
            .from(users)
            .where(inArray(users.id, ids))
        ).map((u) => [u.id, [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email]),
  );
  return rows.map(({ authors, ...row }) => ({
    ...row,
    // Accounts deleted since keep no name.
    editedBy: authors.flatMap((id) => names.get(id) ?? []),
  })) as {
    version: number;
    sizeBytes: number;
    createdAt: Date;
    editedBy: string[];
    encoding: FileEncoding;
    content?: string;
  }[];
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
