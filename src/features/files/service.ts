import { projectScope } from "../../adapters/cache/memo.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import * as files from "../../db/queries/files.ts";
import { isUuid } from "../../db/queries/ids.ts";
import { touchProject } from "../../db/queries/projects.ts";
import type { Deps } from "../../deps.ts";
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from "../../errors.ts";
import { type ProjectAccess, projectAccess, writingProject } from "../projects/access.ts";
import { languageOf, validatePath } from "./paths.ts";

/** One file is at most 1 MiB of UTF-8 text (exactly 1 MiB is accepted); a project 50 MiB. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_PROJECT_BYTES = 50 * 1024 * 1024;

/** `context` is told of every change after it commits (tests of this service may leave it out). */
type FileDeps = Pick<Deps, "db" | "memo"> & Partial<Pick<Deps, "context">>;

/**
 * Check and measure text for storage: well-formed Unicode (no lone surrogates, which have no
 * UTF-8 form), no NUL (binary), at most 1 MiB of UTF-8.
 */
export function measureContent(path: string, content: string): files.FileContent {
  if (!content.isWellFormed()) throw new ValidationError("content: is not valid UTF-8 text", "content");
  if (content.includes("\u0000"))
    throw new ValidationError("content: binary files are not supported", "content");
  const sizeBytes = Buffer.byteLength(content, "utf8");
  if (sizeBytes > MAX_FILE_BYTES)
    throw new PayloadTooLargeError(`content: ${sizeBytes} bytes is over the 1 MiB file limit`);
  const contentHash = new Bun.CryptoHasher("sha256").update(content).digest("hex");
  return { content, sizeBytes, contentHash, language: languageOf(path) };
}

/** Every file of a project the caller may read, by path. */
export async function listProjectFiles(deps: FileDeps, userId: string, projectId: string) {
  const access = await projectAccess(deps, userId, projectId, "viewer");
  const listing = await deps.memo.read(
    projectScope(access.project.id),
    "files",
    async () => files.listFiles(await deps.db.get(), access.project.id),
    (rows) => rows.reduce((sum, row) => sum + row.path.length * 2 + 96, 64),
  );
  return listing ?? [];
}

/**
 * A file of a project the caller may read, with the caller's access to it; a missing file and a
 * project the caller is not a member of are both 404.
 */
export async function accessFile(deps: FileDeps, userId: string, projectId: string, path: string) {
  const valid = validatePath(path);
  // The file is looked up beside the access check, not after it: on the hot path both are memo
  // hits, and with Redis this keeps the open-file fragment at one round trip. Nothing loaded is
  // returned unless the check passes.
  const id = projectId.toLowerCase();
  const [access, file] = await Promise.all([
    projectAccess(deps, userId, id, "viewer"),
    isUuid(id)
      ? deps.memo.read(
          projectScope(id),
          `file:${valid}`,
          async () => files.getFile(await deps.db.get(), id, valid),
          (row) => (row.content.length + row.path.length) * 2 + 256,
        )
      : undefined,
  ]);
  if (!file) throw new NotFoundError("File");
  return { access, file };
}

/** A file of a project the caller may read; a missing file and someone else's project are both 404. */
export async function readFile(deps: FileDeps, userId: string, projectId: string, path: string) {
  return (await accessFile(deps, userId, projectId, path)).file;
}

/**
 * Save a file (creating it if new). With `baseVersion` the save only applies to that version;
 * a stale one is a 409 carrying the current version and content, so nothing is overwritten
 * silently. A failed save leaves the stored file as it was.
 */
export async function saveFile(
  deps: FileDeps,
  userId: string,
  input: { projectId: string; path: string; content: string; baseVersion?: number | undefined },
) {
  const access = await projectAccess(deps, userId, input.projectId, "editor");
  const saved = await writingProject(deps, access, () => save(deps, access, userId, input));
  deps.context?.fileChanged(access.project.id, saved.path);
  return saved;
}

async function save(
  deps: FileDeps,
  { project }: ProjectAccess,
  userId: string,
  input: { path: string; content: string; baseVersion?: number | undefined },
) {
  const path = validatePath(input.path);
  const data = measureContent(path, input.content);
  const db = await deps.db.get();
  const others = await files.projectBytes(db, project.id, path);
  if (others + data.sizeBytes > MAX_PROJECT_BYTES) {
    throw new PayloadTooLargeError("This save would take the project over its 50 MiB limit");
  }
  const write = () => files.writeFile(db, project.id, path, data, { baseVersion: input.baseVersion, userId });
  let saved: Awaited<ReturnType<typeof files.writeFile>>;
  try {
    saved = await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Two first saves of one new path raced. Without baseVersion the later one simply wins, as
    // it would on an existing file: the row exists now, so the retry updates it. With one, the
    // loser is stale like any other.
    saved = input.baseVersion === undefined ? await write() : undefined;
  }
  if (!saved) {
    const current = await files.getFile(db, project.id, path);
    throw new ConflictError("The file changed since you opened it", {
      current: { version: current?.version ?? 0, content: current?.content ?? "" },
    });
  }
  await touchProject(db, project.id);
  return saved;
}

/** Delete a file, or a folder with everything under it (editors and the owner). */
export async function deleteFilePath(deps: FileDeps, userId: string, projectId: string, path: string) {
  const access = await projectAccess(deps, userId, projectId, "editor");
  const { project } = access;
  const valid = validatePath(path);
  const removed = await writingProject(deps, access, async () => {
    const db = await deps.db.get();
    const under = await files.pathsUnder(db, project.id, valid);
    if ((await files.deletePath(db, project.id, valid)) === 0) throw new NotFoundError("File");
    await touchProject(db, project.id);
    return under;
  });
  for (const gone of removed) deps.context?.fileChanged(project.id, gone);
}

/** Rename a file, or move a folder (every file under it); never onto an existing file (editors and the owner). */
export async function renamePath(
  deps: FileDeps,
  userId: string,
  projectId: string,
  from: string,
  to: string,
) {
  const access = await projectAccess(deps, userId, projectId, "editor");
  const { project } = access;
  validatePath(from, "from");
  validatePath(to, "to");
  if (to === from || to.startsWith(`${from}/`))
    throw new ValidationError("to: must differ from and not be inside from", "to");
  const db = await deps.db.get();
  const sources = await files.pathsUnder(db, project.id, from);
  if (sources.length === 0) throw new NotFoundError("File");
  const moves = sources.map((path) => {
    const target = to + path.slice(from.length);
    return { from: path, to: validatePath(target, "to"), language: languageOf(target) };
  });
  const taken = new Set((await files.listFiles(db, project.id)).map((f) => f.path));
  const clash = moves.find((m) => taken.has(m.to));
  if (clash) throw new ConflictError(`${clash.to} already exists`);
  await writingProject(deps, access, async () => {
    try {
      await files.movePaths(db, project.id, moves);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`${to} already exists`);
      throw error;
    }
    await touchProject(db, project.id);
  });
  for (const m of moves) {
    deps.context?.fileChanged(project.id, m.from);
    deps.context?.fileChanged(project.id, m.to);
  }
  return moves.map((m) => m.to);
}

/** A file's saved versions, newest first, with `content` only when asked for (the history panel diffs them). */
export async function fileHistory(
  deps: FileDeps,
  userId: string,
  projectId: string,
  path: string,
  options: { withContent?: boolean } = {},
) {
  const file = await readFile(deps, userId, projectId, path);
  return { file, versions: await files.listVersions(await deps.db.get(), file.id, options) };
}

/** The content of one saved version. */
export async function fileVersion(
  deps: FileDeps,
  userId: string,
  projectId: string,
  path: string,
  version: number,
) {
  const file = await readFile(deps, userId, projectId, path);
  const row = await files.getVersion(await deps.db.get(), file.id, version);
  if (!row) throw new NotFoundError("Version");
  return { file, version: row };
}
