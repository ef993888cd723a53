import type { FileContent } from "../../db/queries/files.ts";
import type { FileEncoding } from "../../db/schema/project-files.ts";
import { PayloadTooLargeError } from "../../errors.ts";
import { formatBytes } from "./format.ts";
import { languageOf } from "./paths.ts";

/** One text file is at most 1 MiB of UTF-8 (exactly 1 MiB is accepted). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** One file stored as bytes (an image, an archive, text too large to edit) is at most 5 MiB. */
export const MAX_BINARY_FILE_BYTES = 5 * 1024 * 1024;

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The sha256 of a file's bytes, as stored beside it. */
function hashOf(bytes: Uint8Array | string): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}

/** Text the editor can hold: UTF-8 without NUL, at most MAX_FILE_BYTES. Undefined otherwise. */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength > MAX_FILE_BYTES || bytes.includes(0)) return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Measure uploaded bytes for storage: text the editor can hold is stored as text, anything
 * else (images, archives, other encodings, text over 1 MiB) as base64 with its encoding noted
 * (docs/decisions.md). Over MAX_BINARY_FILE_BYTES is a 413 naming the file.
 */
export function measureBytes(path: string, bytes: Uint8Array): FileContent {
  const text = asText(bytes);
  if (text !== undefined)
    return {
      content: text,
      encoding: "utf8",
      sizeBytes: bytes.byteLength,
      contentHash: hashOf(text),
      language: languageOf(path),
    };
  if (bytes.byteLength > MAX_BINARY_FILE_BYTES)
    throw new PayloadTooLargeError(
      `${path}: ${bytes.byteLength} bytes is over the ${formatBytes(MAX_BINARY_FILE_BYTES)} file limit`,
    );
  return {
    content: Buffer.from(bytes).toString("base64"),
    encoding: "base64",
    sizeBytes: bytes.byteLength,
    contentHash: hashOf(bytes),
    language: languageOf(path),
  };
}

/** A stored file's bytes, whichever way it is stored. */
export function fileBytes(file: { content: string; encoding: FileEncoding }): Uint8Array {
  return file.encoding === "base64"
    ? new Uint8Array(Buffer.from(file.content, "base64"))
    : new TextEncoder().encode(file.content);
}

/** Whether a stored file is kept as bytes rather than text (it opens as a download, not in the editor). */
export function isBinary(file: { encoding: FileEncoding }): boolean {
  return file.encoding === "base64";
}

const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  ico: "image/x-icon",
  bmp: "image/bmp",
};

/** The image type a path is shown inline as, by its extension; undefined for anything else. */
export function imageTypeOf(path: string): string | undefined {
  return IMAGE_TYPES[path.slice(path.lastIndexOf(".") + 1).toLowerCase()];
}
