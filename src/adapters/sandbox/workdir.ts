import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ConflictError, UnavailableError, ValidationError } from "../../errors.ts";
import type { RunLanguage, RunRequest } from "./types.ts";

const DEFAULT_ENTRY: Record<RunLanguage, string> = {
  python: "main.py",
  javascript: "main.js",
  typescript: "main.ts",
};

/**
 * Check a path meant for the run's working directory: relative, no `..`, no empty or
 * `.` segments, no NUL. Returns the normalised segments; throws ValidationError otherwise.
 */
export function safeRelativePath(path: string, field: string): string[] {
  // Control characters never name a file (and a newline would break the launcher's protocol).
  const control = [...path].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (path.length === 0 || path.length > 512 || control) {
    throw new ValidationError(`${field}: invalid path`, field);
  }
  if (path.startsWith("/") || path.startsWith("\\") || /^[a-zA-Z]:/.test(path)) {
    throw new ValidationError(`${field}: path must be relative`, field);
  }
  const segments = path.split(/[/\\]/);
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      throw new ValidationError(`${field}: path must not contain empty, "." or ".." segments`, field);
    }
  }
  return segments;
}

/** Where the program goes inside the working directory (validated). */
export function entryPath(request: RunRequest): string {
  const entry = request.entry ?? DEFAULT_ENTRY[request.language];
  return safeRelativePath(entry, "entry").join("/");
}

/** Validate every path of the request before anything touches the disk. */
export function validateRequestPaths(request: RunRequest): void {
  entryPath(request);
  for (const path of Object.keys(request.files ?? {})) safeRelativePath(path, `files.${path}`);
}

/**
 * Make `<parent>/aura-<instance>`, the directory of this instance's run dirs, and empty it:
 * what is in it was left by an earlier process of this instance that crashed or was killed
 * (project files, secrets included). Other instances' directories are never touched. It is
 * mode 0711 and the server's own: the slot uids may pass through to their own 0700 run dir
 * but cannot list it. A directory of that name that someone else owns (made in a shared /tmp
 * ahead of Aura to catch its files) is refused, and so is a parent anyone may rename in.
 */
export function prepareRunRoot(parent: string, instance: string): string {
  const up = lstatSync(parent);
  if (!up.isDirectory()) throw new Error(`${parent} is not a directory`);
  if (up.mode & 0o002 && !(up.mode & 0o1000)) {
    throw new Error(`${parent} is writable by everyone without the sticky bit`);
  }
  const root = join(parent, `aura-${instance}`);
  try {
    mkdirSync(root, { mode: 0o711 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const own = lstatSync(root);
  if (!own.isDirectory()) throw new Error(`${root} is not a directory`);
  if (own.uid !== process.getuid?.()) throw new Error(`${root} belongs to uid ${own.uid}, not to Aura`);
  if ((own.mode & 0o7777) !== 0o711) chmodSync(root, 0o711);
  for (const name of readdirSync(root)) rmSync(join(root, name), { recursive: true, force: true });
  return root;
}

/** A fresh, empty 0700 directory under `root`, owned by `uid`: a sandbox's /work before its run is known. */
export async function createEmptyWorkDir(root: string, uid: number): Promise<string> {
  const dir = await mkdtemp(join(root, "run-"));
  try {
    await chown(dir, uid, uid);
    return dir;
  } catch (error) {
    await removeWorkDir(dir);
    throw error;
  }
}

/**
 * Put the project files and the program into a work directory, everything owned by `uid` so
 * the sandboxed process (and only it) can use it.
 */
export async function fillWorkDir(dir: string, request: RunRequest, uid: number): Promise<void> {
  const place = await writeFiles(dir, request.files ?? {}, uid);
  await place(entryPath(request), request.code);
}

/**
 * Write `files` (path → text) into a work directory, each owned by `uid` (0600, folders 0700).
 * Returns the function that places one more file the same way.
 */
export async function writeFiles(
  dir: string,
  files: Record<string, string | Uint8Array>,
  uid: number,
): Promise<(relative: string, content: string | Uint8Array) => Promise<void>> {
  const owned = new Set<string>([dir]);
  const place = async (relative: string, content: string | Uint8Array): Promise<void> => {
    const target = join(dir, relative);
    let parent = dirname(target);
    const parents: string[] = [];
    while (parent !== dir && !owned.has(parent)) {
      parents.unshift(parent);
      parent = dirname(parent);
    }
    for (const p of parents) {
      await mkdir(p, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
      await chown(p, uid, uid);
      owned.add(p);
    }
    await writeFile(target, content, { mode: 0o600 });
    await chown(target, uid, uid);
  };
  // The host's path of the work dir must never reach an answer: say which file, in run terms.
  const placeOrSay = async (relative: string, content: string | Uint8Array): Promise<void> => {
    try {
      await place(relative, content);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR" || code === "EISDIR" || code === "EEXIST")
        throw new ConflictError(`${relative}: a file and a folder of the run share a path`);
      throw new UnavailableError(
        `The sandbox could not write ${relative} into the run's directory (${code ?? "error"})`,
        error,
      );
    }
  };
  for (const [path, content] of Object.entries(files)) {
    await placeOrSay(safeRelativePath(path, `files.${path}`).join("/"), content);
  }
  return placeOrSay;
}

/** Delete a working directory and everything the run left in it. */
export async function removeWorkDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
