import type { Config } from "../../config.ts";
import * as files from "../../db/queries/files.ts";
import { dropDocs } from "../../db/queries/live-documents.ts";
import { touchProject } from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import type { Database } from "../../db/types.ts";
import { ConflictError, ValidationError } from "../../errors.ts";
import type { FileReplacements, IndexedFiles, LiveDocuments, Ports } from "../../ports.ts";
import { projectAccess, writingProject } from "../projects/access.ts";
import { fileBytes, isBinary, measureBytes } from "./content.ts";
import { validatePath } from "./paths.ts";
import { accessFile, folderClash, storeFile } from "./service.ts";
import { type IncomingFile, writeZip } from "./zip.ts";

/** The most files one upload (or one imported archive) may hold. */
export const MAX_UPLOAD_FILES = 1000;

type TransferDeps = Pick<Ports, "db" | "memo"> & {
  config: Pick<Config, "storage">;
  context?: IndexedFiles;
  collab?: LiveDocuments;
};

/** A file as uploads answer it. */
export interface StoredFile {
  path: string;
  version: number;
  size: number;
  binary: boolean;
}

/** Check a batch of incoming files before anything is stored: paths, count, duplicates, clashes, sizes. */
export function checkIncoming(incoming: IncomingFile[]) {
  if (incoming.length === 0) throw new ValidationError("file: at least one file is required", "file");
  if (incoming.length > MAX_UPLOAD_FILES)
    throw new ValidationError(`file: at most ${MAX_UPLOAD_FILES} files at once`, "file");
  const seen = new Set<string>();
  for (const { path } of incoming) {
    validatePath(path);
    if (seen.has(path)) throw new ValidationError(`path: ${path} is given twice`, "path");
    seen.add(path);
  }
  const clash = folderClash(seen);
  if (clash) throw new ConflictError(clash);
  return incoming.map(({ path, bytes }) => ({ path, data: measureBytes(path, bytes) }));
}

/**
 * Store measured files inside `tx` (whose caller holds the owner's lock): every one or, on the
 * first refusal, none — the caller's transaction rolls back. A replaced text file's live
 * document takes the new text as an edit (`documents`, from `LiveDocuments.replaceFiles`);
 * any other document of a stored path is dropped (the file is bytes now, or no live document
 * was given the replacement).
 */
export async function storeAll(
  tx: Database,
  storage: Config["storage"],
  input: {
    ownerId: string;
    projectId: string;
    userId: string;
    files: ReturnType<typeof checkIncoming>;
    documents?: FileReplacements | undefined;
  },
) {
  const stored = [];
  const dropped = [];
  for (const { path, data } of input.files) {
    const file = await storeFile(tx, storage, {
      ownerId: input.ownerId,
      projectId: input.projectId,
      path,
      data,
      userId: input.userId,
    });
    if (file) stored.push(file);
    if (!file || !(await input.documents?.stored(tx, file))) dropped.push(path);
  }
  await dropDocs(tx, input.projectId, dropped);
  return stored;
}

/** What `LiveDocuments.replaceFiles` is told of measured files: their text, or undefined for bytes. */
export function replacementsOf(measured: { path: string; data: { content: string; encoding: string } }[]) {
  return measured.map(({ path, data }) => ({
    path,
    content: data.encoding === "utf8" ? data.content : undefined,
  }));
}

/**
 * Upload files into a project (editors and the owner): new paths are created, existing files
 * get a new version with the uploaded content. All or nothing: a path, clash or limit refused
 * stores none of them.
 */
export async function uploadFiles(
  deps: TransferDeps,
  userId: string,
  projectId: string,
  incoming: IncomingFile[],
): Promise<StoredFile[]> {
  const access = await projectAccess(deps, userId, projectId, "editor");
  const { project } = access;
  const measured = checkIncoming(incoming);
  const paths = new Set(measured.map((f) => f.path));
  const store = (documents?: FileReplacements) =>
    writingProject(deps, access, async () =>
      (await deps.db.get()).transaction(async (tx) => {
        await lockUser(tx, project.userId);
        const saved = await storeAll(tx, deps.config.storage, {
          ownerId: project.userId,
          projectId: project.id,
          userId,
          files: measured,
          documents,
        });
        await touchProject(tx, project.id);
        return saved;
      }),
    );
  // Open editors of a replaced text file receive the upload as an edit; what they typed before
  // it is stored first, so history keeps it.
  const stored = deps.collab
    ? await deps.collab.replaceFiles(project.id, userId, replacementsOf(measured), store)
    : await store();
  for (const path of paths) deps.context?.fileChanged(project.id, path);
  // Bytes are no edit for a text document: editors open on a file now binary are told it was
  // replaced (4409), and reload it.
  const binary = measured.filter((f) => f.data.encoding !== "utf8").map((f) => f.path);
  if (binary.length > 0) await deps.collab?.filesRemoved(project.id, binary, "replaced");
  return stored.map((f) => ({ path: f.path, version: f.version, size: f.sizeBytes, binary: isBinary(f) }));
}

/** One file's bytes for download, with its path (a missing file and someone else's project are 404). */
export async function downloadFile(deps: TransferDeps, userId: string, projectId: string, path: string) {
  const { file } = await accessFile(deps, userId, projectId, path);
  return { path: file.path, bytes: fileBytes(file), binary: isBinary(file) };
}

/** The whole project as a .zip, for every member; edits still open in live documents are stored first. */
export async function projectArchive(deps: TransferDeps, userId: string, projectId: string) {
  const { project } = await projectAccess(deps, userId, projectId, "viewer");
  await deps.collab?.flushFiles(project.id, () => true);
  const rows = await files.listFileContents(await deps.db.get(), project.id);
  const zip = writeZip(rows.map((r) => ({ path: r.path, bytes: fileBytes(r), binary: isBinary(r) })));
  return { name: project.name, bytes: zip };
}
