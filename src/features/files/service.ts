import { projectScope } from "../../adapters/cache/memo.ts";
import type { Config } from "../../config.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import * as files from "../../db/queries/files.ts";
import { isUuid } from "../../db/queries/ids.ts";
import { touchProject } from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import type { FileEncoding } from "../../db/schema/project-files.ts";
import type { Database } from "../../db/types.ts";
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from "../../errors.ts";
import type { IndexedFiles, LiveDocuments, Ports } from "../../ports.ts";
import { type ProjectAccess, projectAccess, writingProject } from "../projects/access.ts";
import { MAX_FILE_BYTES, measureBytes } from "./content.ts";
import { formatBytes } from "./format.ts";
import { languageOf, validatePath } from "./paths.ts";

export { MAX_FILE_BYTES } from "./content.ts";

/**
 * `context` is told of every change after it commits; `collab` carries saves into open live
 * documents and tells them of files that moved or went (tests of this service may leave both out).
 */
type FileDeps = Pick<Ports, "db" | "memo"> & { context?: IndexedFiles; collab?: LiveDocuments };
/** Writes also check the configured storage limits. */
type WriteDeps = FileDeps & { config: Pick<Config, "storage"> };

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
  return { content, encoding: "utf8", sizeBytes, contentHash, language: languageOf(path) };
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
 * Store one file inside `tx`, whose caller holds the owner's lock (lockUser): the base version
 * (undefined when stale), then — for a new path — the rule that a path is a file or a folder,
 * never both (409), then the project's size limit and the owner's storage quota (413, only
 * for a write that grows what is stored, so an owner over a lowered quota can still shrink).
 */
export async function storeFile(
  tx: Database,
  storage: Config["storage"],
  input: {
    ownerId: string;
    projectId: string;
    path: string;
    data: files.FileContent;
    baseVersion?: number | undefined;
    userId: string;
    /** False for a live document's write-through (its history is kept at pauses). */
    history?: boolean;
  },
) {
  const { projectId, path, data } = input;
  const current = await files.lockFile(tx, projectId, path);
  if (input.baseVersion !== undefined && (current?.version ?? 0) !== input.baseVersion) return undefined;
  if (!current) {
    const clash = await files.pathClash(tx, projectId, path);
    if (clash?.kind === "parent")
      throw new ConflictError(`${path}: ${clash.path} is a file, so it cannot also be a folder`);
    if (clash)
      throw new ConflictError(`${path}: is a folder (it holds ${clash.path}), so it cannot also be a file`);
  }
  if (data.sizeBytes > (current?.sizeBytes ?? 0)) {
    const used = await files.storageUsage(tx, { ownerId: input.ownerId, projectId, except: path });
    if (used.project + data.sizeBytes > storage.projectBytes)
      throw new PayloadTooLargeError(
        `This save would take the project over its ${formatBytes(storage.projectBytes)} limit`,
      );
    if (storage.userBytes > 0 && used.owner + data.sizeBytes > storage.userBytes)
      throw new PayloadTooLargeError(
        `This save would take the owner's projects over their ${formatBytes(storage.userBytes)} storage quota`,
      );
  }
  return files.putFile(tx, projectId, path, data, {
    current,
    userId: input.userId,
    history: input.history,
  });
}

/**
 * Save a file (creating it if new). With `baseVersion` the save only applies to that version;
 * a stale one is a 409 carrying the current version and content, so nothing is overwritten
 * silently. A failed save leaves the stored file as it was.
 */
export async function saveFile(deps: WriteDeps, userId: string, input: SaveInput & { projectId: string }) {
  const access = await projectAccess(deps, userId, input.projectId, "editor");
  const write = () => writingProject(deps, access, () => save(deps, access, userId, input));
  const binary = input.encoding === "base64";
  // A new file has no live document; an existing one's open editors receive the save as an edit.
  const saved =
    deps.collab && input.baseVersion !== 0 && !binary
      ? await deps.collab.saveThrough(access.project.id, validatePath(input.path), userId, write)
      : await write();
  deps.context?.fileChanged(access.project.id, saved.path);
  // Bytes are no edit for a text document: editors open on the file reload it instead.
  if (binary) await deps.collab?.filesRemoved(access.project.id, [saved.path], "replaced");
  return saved;
}

/** A save's content: text, or (`encoding: "base64"`) a binary file's bytes in base64. */
interface SaveInput {
  path: string;
  content: string;
  encoding?: FileEncoding | undefined;
  baseVersion?: number | undefined;
}

/** Measure a save's content as the encoding it names. */
function measureSave(path: string, input: SaveInput): files.FileContent {
  if (input.encoding !== "base64") return measureContent(path, input.content);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.content) || input.content.length % 4 !== 0)
    throw new ValidationError("content: is not valid base64", "content");
  return measureBytes(path, new Uint8Array(Buffer.from(input.content, "base64")));
}

async function save(deps: WriteDeps, { project }: ProjectAccess, userId: string, input: SaveInput) {
  const path = validatePath(input.path);
  const data = measureSave(path, input);
  const db = await deps.db.get();
  // One transaction under the lock of the project's owner — not the caller's: an editor's save
  // is charged to the owner's quota, so it must queue behind the owner's own saves and those of
  // every other member of any of the owner's projects. Concurrent saves are checked one after
  // another against committed totals, and two first saves of one path cannot both insert it.
  const saved = await db.transaction(async (tx) => {
    await lockUser(tx, project.userId);
    const file = await storeFile(tx, deps.config.storage, {
      ownerId: project.userId,
      projectId: project.id,
      path,
      data,
      baseVersion: input.baseVersion,
      userId,
    });
    if (file) await touchProject(tx, project.id);
    return file;
  });
  if (!saved) {
    const current = await files.getFile(db, project.id, path);
    throw new ConflictError("The file changed since you opened it", {
      current: { version: current?.version ?? 0, content: current?.content ?? "" },
    });
  }
  return saved;
}

/**
 * Delete a file — that file only — or, when `path` is no file, a folder with everything under
 * it (the tree's folder delete). The paths' last versions are kept, so files created there
 * again continue above them.
 */
export async function deleteFilePath(deps: FileDeps, userId: string, projectId: string, path: string) {
  const access = await projectAccess(deps, userId, projectId, "editor");
  const valid = validatePath(path);
  await removeFiles(deps, access, async (tx) => {
    const gone = await files.deletePath(tx, access.project.id, valid);
    if (gone.length === 0) throw new NotFoundError("File");
    return gone;
  });
}

/**
 * Delete one file only if it is still at `baseVersion` (a terminal's sync carrying a deletion
 * back): a file changed since is a 409 carrying its current version and content, as a stale
 * save is, and stays. False, with nothing done, when no file is at `path` (it was deleted or
 * moved meanwhile); never a folder's delete. Otherwise as deleteFilePath.
 */
export async function deleteFileAt(
  deps: FileDeps,
  userId: string,
  input: { projectId: string; path: string; baseVersion: number },
): Promise<boolean> {
  const access = await projectAccess(deps, userId, input.projectId, "editor");
  const { project } = access;
  const path = validatePath(input.path);
  // Pending keystrokes of an open editor reach the stored file first: they make it newer.
  await deps.collab?.flushFiles(project.id, (p) => p === path);
  let current: { version: number; content: string } | undefined;
  const removed = await removeFiles(deps, access, async (tx) => {
    const file = await files.lockFile(tx, project.id, path);
    if (!file) return [];
    if (file.version !== input.baseVersion) {
      current = {
        version: file.version,
        content: (await files.getFile(tx, project.id, path))?.content ?? "",
      };
      return [];
    }
    return files.deletePath(tx, project.id, path);
  });
  if (current) throw new ConflictError("The file changed since the terminal read it", { current });
  return removed.length > 0;
}

/**
 * Remove files inside one transaction under the owner's lock (`remove` answers the paths that
 * went); then the code index and the files' open editors are told.
 */
async function removeFiles(
  deps: FileDeps,
  access: ProjectAccess,
  remove: (tx: Database) => Promise<string[]>,
): Promise<string[]> {
  const { project } = access;
  const removed = await writingProject(deps, access, async () =>
    (await deps.db.get()).transaction(async (tx) => {
      await lockUser(tx, project.userId);
      const gone = await remove(tx);
      if (gone.length > 0) await touchProject(tx, project.id);
      return gone;
    }),
  );
  for (const gone of removed) deps.context?.fileChanged(project.id, gone);
  if (removed.length > 0) await deps.collab?.filesRemoved(project.id, removed);
  return removed;
}

/** The first way in which `paths` holds one path as both a file and a folder, as a message. */
export function folderClash(paths: Iterable<string>): string | undefined {
  const all = new Set(paths);
  for (const path of all) {
    const parent = files.parentFolders(path).find((folder) => all.has(folder));
    if (parent) return `${path}: ${parent} is a file, so it cannot also be a folder`;
  }
  return undefined;
}

/**
 * Rename a file, or move a folder (every file under it); never onto an existing file, and
 * never so that a path would be a file and a folder at once (409).
 */
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
  // Every keystroke reaches the stored file before it moves (its live document does not move).
  await deps.collab?.flushFiles(project.id, (path) => path === from || path.startsWith(`${from}/`));
  const moves = await writingProject(deps, access, async () =>
    (await deps.db.get()).transaction(async (tx) => {
      await lockUser(tx, project.userId);
      const listing = await files.listFiles(tx, project.id);
      // A file moves alone; a path that is no file is a folder, moving with everything under it.
      const file = listing.find((f) => f.path === from);
      const sources = file ? [file] : listing.filter((f) => f.path.startsWith(`${from}/`));
      if (sources.length === 0) throw new NotFoundError("File");
      const moving = sources.map(({ path, version }) => {
        const target = to + path.slice(from.length);
        return { from: path, to: validatePath(target, "to"), language: languageOf(target), version };
      });
      const staying = new Set(listing.map((f) => f.path));
      for (const m of moving) staying.delete(m.from);
      const taken = moving.find((m) => staying.has(m.to));
      if (taken) throw new ConflictError(`${taken.to} already exists`);
      const clash = folderClash([...staying, ...moving.map((m) => m.to)]);
      if (clash) throw new ConflictError(clash);
      try {
        await files.movePaths(tx, project.id, moving, userId);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`${to} already exists`);
        throw error;
      }
      await touchProject(tx, project.id);
      return moving;
    }),
  );
  for (const m of moves) {
    deps.context?.fileChanged(project.id, m.from);
    deps.context?.fileChanged(project.id, m.to);
  }
  await deps.collab?.filesRemoved(project.id, [...moves.map((m) => m.from), ...moves.map((m) => m.to)]);
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
async function fileVersion(deps: FileDeps, userId: string, projectId: string, path: string, version: number) {
  const file = await readFile(deps, userId, projectId, path);
  const row = await files.getVersion(await deps.db.get(), file.id, version);
  if (!row) throw new NotFoundError("Version");
  return { file, version: row };
}

/**
 * Restore a saved version: its content saved as a new version over the one the caller read
 * (a file changed meanwhile is a 409, like any stale save). Through `saveFile`, so an open live
 * document receives the restore as an edit and every editor on it follows.
 */
export async function restoreVersion(
  deps: WriteDeps,
  userId: string,
  projectId: string,
  path: string,
  version: number,
) {
  if (!Number.isInteger(version) || version < 1)
    throw new ValidationError("version: must be a positive integer", "version");
  const { file, version: row } = await fileVersion(deps, userId, projectId, path, version);
  return saveFile(deps, userId, {
    projectId,
    path: file.path,
    content: row.content,
    encoding: row.encoding,
    baseVersion: file.version,
  });
}
