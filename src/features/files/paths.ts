import { languageOfPath } from "../../common/languages.ts";
import { ValidationError } from "../../errors.ts";

/** At most 500 bytes of UTF-8 per path (docs/api.md). */
const MAX_PATH_BYTES = 500;

// Control characters (C0, DEL, C1) and NUL never belong in a file name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Validate a project-relative path: `/`-separated, no leading `/`, no empty, `.` or `..`
 * segment, no backslash or control character, at most 500 bytes. Returns it unchanged.
 */
export function validatePath(path: string, field = "path"): string {
  const fail = (why: string) => {
    throw new ValidationError(`${field}: ${why}`, field);
  };
  if (path.length === 0) fail("must not be empty");
  if (Buffer.byteLength(path, "utf8") > MAX_PATH_BYTES) fail(`must be at most ${MAX_PATH_BYTES} bytes`);
  if (CONTROL.test(path)) fail("must not contain control characters");
  if (path.includes("\\")) fail("must not contain a backslash");
  if (path.startsWith("/")) fail("must be relative (no leading /)");
  for (const segment of path.split("/")) {
    if (segment === "") fail("must not contain an empty segment");
    if (segment === "." || segment === "..") fail("must not contain . or .. segments");
  }
  return path;
}

/**
 * The file path from a URL's `*path` part: percent-decoded exactly once (so `%2E%2E` and
 * `%00` are caught by validation and `%2F` becomes a separator), then validated.
 */
function pathFromUrl(encoded: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    throw new ValidationError("path: is not valid percent-encoding", "path");
  }
  return validatePath(decoded);
}

/** The `*path` of `…/projects/:id/files/*`, taken from the raw URL so it is percent-decoded exactly once. */
export function filePathOf(request: Request): string {
  return filePathIn(request, "files");
}

/** The `*path` of `…/projects/:id/<segment>/*` (e.g. `raw`), percent-decoded exactly once and validated. */
export function filePathIn(request: Request, segment: "files" | "raw"): string {
  const pattern = new RegExp(`^(?:/api/v1)?/projects/[^/]+/${segment}/(.*)$`);
  return pathFromUrl(pattern.exec(new URL(request.url).pathname)?.[1] ?? "");
}

/** The language a file is stored, edited and run as, by its extension ("plaintext" otherwise). */
export function languageOf(path: string): string {
  return languageOfPath(path) ?? "plaintext";
}
