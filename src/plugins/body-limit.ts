import { Elysia } from "elysia";
import { PayloadTooLargeError, ValidationError } from "../errors.ts";
import { bodyLimitFor } from "./limits.ts";

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
