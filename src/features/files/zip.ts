import { Unzip, UnzipInflate, unzipSync, zipSync } from "fflate";
import { ValidationError } from "../../errors.ts";
import { formatBytes } from "./format.ts";
import { validatePath } from "./paths.ts";

/** What an archive may hold: entries, bytes of one file, and bytes of all files, uncompressed. */
export interface ArchiveLimits {
  maxEntries: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

/** One file taken from an archive or an upload. */
export interface IncomingFile {
  path: string;
  bytes: Uint8Array;
}

const refuse = (why: string) => new ValidationError(`archive: ${why}`, "archive");

/** Folder entries and the metadata macOS adds are not files of the project. */
function skipped(name: string): boolean {
  return name.endsWith("/") || name.startsWith("__MACOSX/") || name.split("/").at(-1) === ".DS_Store";
}

/** An entry's name as a project path; a name that escapes the project (zip slip) is refused. */
function entryPath(name: string): string {
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name))
    throw refuse(`entry ${JSON.stringify(name)} has an absolute path`);
  try {
    return validatePath(name, "path");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw refuse(`entry ${JSON.stringify(name)}: ${error.message.replace(/^path: /, "")}`);
  }
}

/**
 * Read the central directory without inflating anything: every name must be a valid project
 * path, and the entry count and declared sizes within the limits. Refuses before any work a
 * bomb could make expensive.
 */
function checkDirectory(data: Uint8Array, limits: ArchiveLimits): Set<string> {
  const names = new Set<string>();
  let declared = 0;
  try {
    unzipSync(data, {
      filter(entry) {
        if (skipped(entry.name)) return false;
        if (names.size >= limits.maxEntries)
          throw refuse(`holds more than ${limits.maxEntries} files, the most one import may have`);
        const path = entryPath(entry.name);
        if (names.has(path)) throw refuse(`holds ${path} twice`);
        if (entry.originalSize > limits.maxFileBytes)
          throw refuse(
            `${path} is ${entry.originalSize} bytes uncompressed, over the ${formatBytes(limits.maxFileBytes)} file limit`,
          );
        declared += entry.originalSize;
        if (declared > limits.maxTotalBytes)
          throw refuse(
            `its files are over ${formatBytes(limits.maxTotalBytes)} uncompressed, the project limit`,
          );
        names.add(path);
        return false;
      },
    });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw refuse(`is not a readable .zip file (${(error as Error).message})`);
  }
  return names;
}

/**
 * The files of a .zip archive, checked against `limits` twice: by what its directory declares
 * (before inflating) and by the bytes actually inflated (a lying size stops the inflation as
 * soon as it passes a limit). Any problem is a ValidationError (400) naming it; nothing is
 * returned unless the whole archive passes.
 */
export function readZip(data: Uint8Array, limits: ArchiveLimits): IncomingFile[] {
  const expected = checkDirectory(data, limits);
  const files: IncomingFile[] = [];
  let total = 0;
  let failure: Error | undefined;
  const unzip = new Unzip((entry) => {
    if (failure || skipped(entry.name)) return;
    let path: string;
    try {
      path = entryPath(entry.name);
    } catch (error) {
      failure = error as Error;
      return;
    }
    if (!expected.has(path)) {
      failure = refuse(`entry ${path} is not in its directory`);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    entry.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = refuse(`${path} could not be inflated (${error.message})`);
        return;
      }
      size += chunk.byteLength;
      total += chunk.byteLength;
      if (size > limits.maxFileBytes || total > limits.maxTotalBytes) {
        failure = refuse(`${path} inflates past its declared size, over the limits (a zip bomb?)`);
        entry.terminate();
        return;
      }
      chunks.push(chunk);
      if (!final) return;
      if (entry.originalSize !== undefined && size !== entry.originalSize)
        failure = refuse(`${path} inflates to ${size} bytes, not the ${entry.originalSize} it declares`);
      else files.push({ path, bytes: Buffer.concat(chunks) });
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    unzip.push(data, true);
  } catch (error) {
    failure ??= refuse(`is not a readable .zip file (${(error as Error).message})`);
  }
  if (failure) throw failure;
  if (files.length !== expected.size) throw refuse("its entries do not match its directory");
  if (files.length === 0) throw refuse("holds no files");
  return files;
}

/** A .zip of the given files; text is deflated, binary files (mostly compressed already) stored. */
export function writeZip(files: { path: string; bytes: Uint8Array; binary: boolean }[]): Uint8Array {
  return zipSync(
    Object.fromEntries(files.map((f) => [f.path, [f.bytes, { level: f.binary ? 0 : 6 }] as const])),
  );
}
