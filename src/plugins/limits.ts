/** Request size limits; kept free of imports so the boot path can read them cheaply. */
const MiB = 1024 * 1024;

/**
 * The longest URL (path and query, in bytes) Aura accepts; a longer one is a 431 in the API's
 * error shape. It sits well under Bun's own cap on a whole request head — 16 KiB, or 64 KiB
 * as the start scripts run it (`--max-http-header-size`): a head over Bun's cap is refused by
 * Bun's HTTP parser, with an empty 431, before any of Aura's code runs.
 */
export const MAX_URL_BYTES = 8 * 1024;

/** Bun's cap on a request head as Aura's start scripts set it (`--max-http-header-size`). */
export const BUN_MAX_HEADER_BYTES = 64 * 1024;

/** The default limit on a request body. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;

/** An upload of files (multipart): a whole project's worth, 50 MiB, with room for the form around it. */
const UPLOAD_BODY_LIMIT = 55 * MiB;

/** A .zip imported as a new project. */
const ARCHIVE_BODY_LIMIT = 20 * MiB;

/** Routes that accept more, largest first. File saves carry up to 1 MiB of text, JSON-escaped. */
const LARGER_LIMITS: { method: string; path: RegExp; bytes: number }[] = [
  // Uploads into a project's tree, on both faces.
  { method: "POST", path: /^(?:\/api\/v1)?\/projects\/[^/]+\/files\/upload$/, bytes: UPLOAD_BODY_LIMIT },
  // A project imported from a .zip, on both faces.
  { method: "POST", path: /^(?:\/api\/v1)?\/projects\/import$/, bytes: ARCHIVE_BODY_LIMIT },
  // The JSON face's file PUT and the editor's (HTML face) one.
  { method: "PUT", path: /^(?:\/api\/v1)?\/projects\/[^/]+\/files\//, bytes: 8 * MiB },
  // Run on the project page: the open file's unsaved text (≤ 1 MiB), form-encoded.
  { method: "POST", path: /^\/projects\/[^/]+\/run$/, bytes: 8 * MiB },
  // AI completion and analysis carry a whole file (≤ 1 MiB), JSON-escaped.
  {
    method: "POST",
    path: /^(?:\/api\/v1\/ai|\/projects\/[^/]+\/ai)\/(?:complete|analyze|chat)$/,
    bytes: 8 * MiB,
  },
];

export function bodyLimitFor(method: string, pathname: string): number {
  return LARGER_LIMITS.find((l) => l.method === method && l.path.test(pathname))?.bytes ?? DEFAULT_BODY_LIMIT;
}
