import { Elysia } from "elysia";
import { PayloadTooLargeError, UriTooLongError, ValidationError } from "../errors.ts";
import { bodyLimitFor, MAX_URL_BYTES } from "./limits.ts";

// Fatal: a byte sequence that is not UTF-8 is refused, never stored as U+FFFD.
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A 413 for a body that was not (all) read: the connection closes rather than draining the rest. */
const tooLarge = (limit: number) =>
  new PayloadTooLargeError(`Request body is over its limit of ${limit} bytes`, { closeConnection: true });

async function readLimited(request: Request, limit: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

function utf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ValidationError("body: is not valid UTF-8", "body");
  }
}

const HEX = /^[0-9a-fA-F]{2}$/;

/**
 * Percent-decode one urlencoded key or value (`+` is a space) strictly: the decoded bytes must
 * be UTF-8. A `%` not followed by two hex digits stays as it is, as URLSearchParams leaves it.
 */
function formComponent(text: string): string {
  if (!text.includes("%")) return text.replaceAll("+", " ");
  const bytes = Buffer.from(text.replaceAll("+", " "), "utf8");
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? bytes.subarray(i + 1, i + 3).toString("latin1") : "";
    if (HEX.test(hex)) {
      out[n++] = Number.parseInt(hex, 16);
      i += 2;
    } else out[n++] = bytes[i]!;
  }
  return utf8(out.subarray(0, n));
}

function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = formComponent(eq === -1 ? pair : pair.slice(0, eq));
    fields[key] = formComponent(eq === -1 ? "" : pair.slice(eq + 1));
  }
  return fields;
}

/**
 * Refuse URLs over MAX_URL_BYTES with 431, and bodies over their route's limit with 413: by
 * Content-Length before reading, and while reading for chunked bodies. Parses every body
 * itself — JSON, urlencoded forms and text strictly as UTF-8, anything else as bytes — so no
 * body is ever read without a limit: the server leaves body sizes to this (src/index.ts).
 */
export function bodyLimit() {
  return new Elysia({ name: "body-limit" })
    .onRequest(({ request }) => {
      const { pathname, search } = new URL(request.url);
      const urlBytes = Buffer.byteLength(pathname + search, "utf8");
      if (urlBytes > MAX_URL_BYTES)
        throw new UriTooLongError(`The URL is ${urlBytes} bytes, over its limit of ${MAX_URL_BYTES}`);
      const length = Number(request.headers.get("content-length") ?? 0);
      const limit = bodyLimitFor(request.method, pathname);
      if (length > limit) throw tooLarge(limit);
    })
    .onParse({ as: "global" }, async ({ request, contentType }) => {
      const limit = bodyLimitFor(request.method, new URL(request.url).pathname);
      const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
      const bytes = await readLimited(request, limit);
      if (type === "application/json") {
        // No JSON at all is no body. (Elysia's own JSON parser, which gets it, reads nothing more.)
        if (bytes.byteLength === 0) return undefined;
        const text = utf8(bytes);
        try {
          return JSON.parse(text);
        } catch (cause) {
          throw new ValidationError(`body: is not valid JSON (${(cause as Error).message})`, "body");
        }
      }
      // Every other type is answered here even when empty: returning nothing would hand the body,
      // already read, to Elysia's parser, which fails on it. An empty form has no fields (an htmx
      // button's form often has none: the CSRF token travels in a header).
      if (type === "application/x-www-form-urlencoded") return parseForm(utf8(bytes));
      if (type.startsWith("text/")) return utf8(bytes);
      if (type === "multipart/form-data") {
        // Elysia hands hooks the type without its parameters; the boundary is in the header.
        const headers = { "content-type": request.headers.get("content-type") ?? contentType };
        const form = await new Response(new Uint8Array(bytes), { headers }).formData();
        // As Elysia's own parser answers a form: a field given more than once is an array.
        const fields: Record<string, unknown> = {};
        for (const key of new Set(form.keys())) {
          const all = form.getAll(key);
          fields[key] = all.length === 1 ? all[0] : all;
        }
        return fields;
      }
      return new Uint8Array(bytes).buffer;
    });
}
