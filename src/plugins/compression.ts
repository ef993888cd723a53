import { brotliCompressSync, constants } from "node:zlib";

/** Bodies smaller than this are not worth the CPU. */
export const MIN_COMPRESS_BYTES = 1024;

const COMPRESSIBLE =
  /^(text\/(?!event-stream)|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/;

export type Encoding = "br" | "gzip";

/** Pick the best encoding the client accepts (brotli over gzip), honouring `q=0`. */
export function chooseEncoding(acceptEncoding: string | null): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const q = params.find((p) => p.trim().startsWith("q="));
    if (name && (!q || Number(q.trim().slice(2)) > 0)) accepted.add(name);
  }
  if (accepted.has("br")) return "br";
  if (accepted.has("gzip")) return "gzip";
  return undefined;
}

export function isCompressible(contentType: string | null): boolean {
  return contentType !== null && COMPRESSIBLE.test(contentType);
}

/** Compress bytes; `quality` "dynamic" is fast enough per request, "static" is for assets compressed once. */
export function encode(
  bytes: Uint8Array<ArrayBuffer>,
  encoding: Encoding,
  quality: "dynamic" | "static",
): Uint8Array<ArrayBuffer> {
  if (encoding === "gzip") return Bun.gzipSync(bytes, { level: quality === "static" ? 9 : 6 });
  const level = quality === "static" ? 11 : 4;
  const out = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: level, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength);
}

/**
 * Compress a finished text response when the client accepts it and it is over 1 KB.
 * Streams (SSE) and already-encoded bodies pass through untouched.
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
  if (!response.body || response.headers.has("content-encoding")) return response;
  if (!isCompressible(response.headers.get("content-type"))) return response;
  const encoding = chooseEncoding(request.headers.get("accept-encoding"));
  if (!encoding) return response;

  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.append("vary", "Accept-Encoding");
  if (bytes.byteLength < MIN_COMPRESS_BYTES) {
    return new Response(bytes, { status: response.status, statusText: response.statusText, headers });
  }
  headers.set("content-encoding", encoding);
  headers.delete("content-length");
  return new Response(encode(bytes, encoding, "dynamic"), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
