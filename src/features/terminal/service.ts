import type { Deps } from "../../deps.ts";
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError } from "../../errors.ts";
import * as fileService from "../files/service.ts";
import { projectAccess } from "../projects/access.ts";
import { assertAvailable } from "../sandbox/service.ts";
import type { BaseFile, Terminal } from "./manager.ts";
import type { SyncOutcome } from "./model.ts";

type TerminalDeps = Pick<Deps, "db" | "memo" | "sandbox" | "terminals" | "collab" | "config" | "logger"> &
  Partial<Pick<Deps, "context">>;

/** Project files copied into one terminal's working directory: at most this many bytes in all. */
const MAX_TERMINAL_FILES_BYTES = 20 * 1024 * 1024;
const DEFAULT_SIZE = { cols: 80, rows: 24 };

/**
 * Open a terminal in the project for an editor or its owner (a viewer: 403; a stranger: 404):
 * a shell in the sandbox, the project's text files in its working directory as they are stored
 * now (pending edits of open documents written first). Past the per-user limit: 409.
 */
export async function openTerminal(
  deps: TerminalDeps,
  userId: string,
  projectId: string,
  size: { cols?: number | undefined; rows?: number | undefined } = {},
): Promise<Terminal> {
  const { project } = await projectAccess(deps, userId, projectId, "editor");
  assertAvailable(deps);
  await deps.collab.flushFiles(project.id, () => true);
  const listing = await fileService.listProjectFiles(deps, userId, project.id);
  const total = listing.reduce((sum, f) => sum + f.sizeBytes, 0);
  if (total > MAX_TERMINAL_FILES_BYTES)
    throw new PayloadTooLargeError(
      `The project's files (${total} bytes) are over the ${MAX_TERMINAL_FILES_BYTES}-byte limit for a terminal`,
    );
  const stored = await Promise.all(
    listing.map((f) => fileService.readFile(deps, userId, project.id, f.path)),
  );
  const clash = fileService.folderClash(stored.map((f) => f.path));
  if (clash) throw new ConflictError(`A terminal cannot open while ${clash}; rename or delete one of them`);
  // Binary files (images, data) are there for programs to read, as their bytes; a sync brings
  // back text only, so they are no part of the base and never written or deleted by one.
  const text = stored.filter((f) => f.encoding === "utf8");
  const base = new Map<string, BaseFile>(
    text.map((f) => [f.path, { version: f.version, content: f.content }]),
  );
  const files = Object.fromEntries(
    stored.map((f) => [f.path, f.encoding === "base64" ? Buffer.from(f.content, "base64") : f.content]),
  );
  return deps.terminals.open({
    userId,
    projectId: project.id,
    base,
    open: (onData) =>
      deps.sandbox.openPty({
        files,
        cols: size.cols ?? DEFAULT_SIZE.cols,
        rows: size.rows ?? DEFAULT_SIZE.rows,
        onData,
        userId,
      }),
  });
}

/**
 * The caller's open terminal in the project. Asks the access guard each time: a member who left
 * gets 404, one made a viewer 403; someone else's terminal, or one that ended, is 404.
 */
export async function terminalOf(
  deps: Pick<Deps, "db" | "memo" | "terminals">,
  userId: string,
  projectId: string,
  terminalId: string,
): Promise<Terminal> {
  await projectAccess(deps, userId, projectId, "editor");
  const terminal = deps.terminals.find(terminalId, userId, projectId);
  if (!terminal) throw new NotFoundError("Terminal");
  return terminal;
}

/** The caller's open terminals in the project on this instance (editors and the owner only). */
export async function terminalsOf(
  deps: Pick<Deps, "db" | "memo" | "terminals">,
  userId: string,
  projectId: string,
) {
  const { project } = await projectAccess(deps, userId, projectId, "editor");
  return deps.terminals.ownedIn(userId, project.id);
}

/** Close the caller's terminal: its shell, its processes and its working directory go. */
export async function closeTerminal(
  deps: TerminalDeps,
  userId: string,
  projectId: string,
  terminalId: string,
) {
  await deps.terminals.close(await terminalOf(deps, userId, projectId, terminalId));
}

/**
 * Bring the shell's changes back into the project, through the files service (so open
 * documents take each write as an edit, and editors of a deleted file are told). A file is
 * written — or, when the shell deleted it, deleted — only if the project's copy is still the
 * one the terminal started from (or last synced): one edited in the project meanwhile is
 * reported as a conflict and left alone. Deletions go first, so a folder the shell replaced
 * with a file (or the other way round) can be written after. Only files the terminal started
 * with can be deleted, and only when nothing is at their path any more (see readFiles): files
 * that never reached the shell (binary, too large, in a tool folder) are never touched.
 */
export async function syncTerminal(
  deps: TerminalDeps,
  userId: string,
  projectId: string,
  terminalId: string,
): Promise<SyncOutcome> {
  const terminal = await terminalOf(deps, userId, projectId, terminalId);
  const read = await terminal.session.readFiles([...terminal.base.keys()]);
  const now = new Map(Object.entries(read.files));
  const outcome: SyncOutcome = { written: [], deleted: [], conflicts: [], skipped: [] };
  const report = (path: string, error: unknown) => {
    const current = error instanceof ConflictError ? error.extra?.current : undefined;
    if (current && typeof current === "object" && "version" in current)
      outcome.conflicts.push({ path, version: Number(current.version) });
    else if (error instanceof AppError && error.status < 500 && error.status !== 403 && error.status !== 404)
      outcome.skipped.push({ path, reason: error.message });
    else throw error;
  };
  for (const path of new Set(read.gone)) {
    const base = terminal.base.get(path);
    if (!base || now.has(path)) continue;
    try {
      const deleted = await fileService.deleteFileAt(deps, userId, {
        projectId: terminal.projectId,
        path,
        baseVersion: base.version,
      });
      // Deleted here, or already gone from the project (deleted or moved there too).
      terminal.base.delete(path);
      if (deleted) outcome.deleted.push({ path });
    } catch (error) {
      report(path, error);
    }
  }
  for (const [path, content] of now) {
    const base = terminal.base.get(path);
    if (base?.content === content) continue;
    try {
      const saved = await fileService.saveFile(deps, userId, {
        projectId: terminal.projectId,
        path,
        content,
        baseVersion: base?.version ?? 0,
      });
      terminal.base.set(path, { version: saved.version, content });
      outcome.written.push({ path: saved.path, version: saved.version });
    } catch (error) {
      report(path, error);
    }
  }
  return outcome;
}
