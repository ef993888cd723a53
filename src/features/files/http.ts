import { ValidationError } from "../../errors.ts";
import { imageTypeOf } from "./content.ts";

/** `Content-Disposition` for a file name: a plain ASCII fallback beside the exact UTF-8 name (RFC 6266). */
function disposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * A project's file as a download. Images are answered inline with their type (the editor shows
 * them); everything else as `application/octet-stream`, an attachment, so that nothing a user
 * uploaded is ever rendered as a page of Aura's origin. The sandbox CSP covers a direct visit.
 */
export function fileResponse(file: { path: string; bytes: Uint8Array }): Response {
  const name = file.path.split("/").at(-1) ?? file.path;
  const image = imageTypeOf(file.path);
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "content-type": image ?? "application/octet-stream",
      "content-disposition": disposition(image ? "inline" : "attachment", name),
      "content-security-policy": "default-src 'none'; sandbox",
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-cache",
    },
  });
}

/** A project as a .zip download named after it. */
export function archiveResponse(archive: { name: string; bytes: Uint8Array }): Response {
  // Separators and control characters have no place in a downloaded file's name.
  const safe = [...archive.name].map((c) => (c < " " || c === "\u007f" || c === "/" || c === "\\" ? "_" : c));
  const base = safe.join("").trim() || "project";
  return new Response(Buffer.from(archive.bytes), {
    headers: {
      "content-type": "application/zip",
      "content-disposition": disposition("attachment", `${base}.zip`),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-cache",
    },
  });
}

/** The files of an upload form: `file` (one or more) at `path` (one per file, in order), else at `folder/` + the file's name. */
export function uploadedEntries(body: {
  file: File | File[];
  path?: string | string[] | undefined;
  folder?: string | undefined;
}) {
  const files = Array.isArray(body.file) ? body.file : [body.file];
  const paths = body.path === undefined ? [] : Array.isArray(body.path) ? body.path : [body.path];
  if (paths.length > 0 && paths.length !== files.length)
    throw new ValidationError(
      `path: give one path per file (${files.length} files, ${paths.length} paths)`,
      "path",
    );
  const folder = body.folder?.replace(/^\/+|\/+$/g, "");
  return Promise.all(
    files.map(async (file, i) => ({
      path: paths[i] ?? (folder ? `${folder}/${file.name}` : file.name),
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
}
