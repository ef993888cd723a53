import { Elysia } from "elysia";
import { PayloadTooLargeError, ValidationError } from "../errors.ts";

const MiB = 1024 * 1024;

/** The default limit on a request body. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;

/** Routes that accept more, largest first. File saves carry up to 1 MiB of text, JSON-escaped. */
const LARGER_LIMITS: { method: string; path: RegExp; bytes: number }[] = [
  { method: "PUT", path: /^\/api\/v1\/projects\/[^/]+\/files\//, bytes: 8 * MiB },
];

/** The largest body any route accepts; the server refuses anything bigger outright. */
export const MAX_BODY_LIMIT = Math.max(DEFAULT_BODY_LIMIT, ...LARGER_LIMITS.map((l) => l.bytes));

export function bodyLimitFor(method: string, pathname: string): number {
  return LARGER_LIMITS.find((l) => l.method === method && l.path.test(pathname))?.bytes ?? DEFAULT_BODY_LIMIT;
}

async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(`Request body is over its limit of ${limit} bytes`);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reject bodies over their route's limit with 413: by Content-Length before reading, and
 * while reading for chunked bodies. Parses JSON, urlencoded forms and text itself.
 */
export function bodyLimit() {
  return new Elysia({ name: "body-limit" })
    .onRequest(({ request }) => {
      const length = Number(request.headers.get("content-length") ?? 0);
      const limit = bodyLimitFor(request.method, new URL(request.url).pathname);
      if (length > limit) throw new PayloadTooLargeError(`Request body is over its limit of ${limit} bytes`);
    })
    .onParse({ as: "global" }, async ({ request, contentType }) => {
      const limit = bodyLimitFor(request.method, new URL(request.url).pathname);
      const type = contentType.split(";")[0]?.trim();
      if (type === "application/json") {
        const text = await readLimited(request, limit);
        if (text === "") return undefined;
        try {
          return JSON.parse(text);
        } catch (cause) {
          throw new ValidationError(`body: is not valid JSON (${(cause as Error).message})`);
        }
      }
      if (type === "application/x-www-form-urlencoded") {
        return Object.fromEntries(new URLSearchParams(await readLimited(request, limit)));
      }
      if (type === "text/plain") return readLimited(request, limit);
    });
}
