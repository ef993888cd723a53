/** Request body limits; kept free of imports so the boot path can read them cheaply. */
const MiB = 1024 * 1024;

/** The default limit on a request body. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;

/** Routes that accept more, largest first. File saves carry up to 1 MiB of text, JSON-escaped. */
const LARGER_LIMITS: { method: string; path: RegExp; bytes: number }[] = [
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

/** The largest body any route accepts; the server refuses anything bigger outright. */
export const MAX_BODY_LIMIT = Math.max(DEFAULT_BODY_LIMIT, ...LARGER_LIMITS.map((l) => l.bytes));

export function bodyLimitFor(method: string, pathname: string): number {
  return LARGER_LIMITS.find((l) => l.method === method && l.path.test(pathname))?.bytes ?? DEFAULT_BODY_LIMIT;
}
