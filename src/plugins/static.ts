import { Elysia } from "elysia";
import { type StaticAsset, staticAssets } from "../assets.ts";
import { chooseEncoding, type Encoding, encode, isCompressible, MIN_COMPRESS_BYTES } from "./compression.ts";

interface Loaded {
  type: string;
  etag: string;
  raw: Uint8Array<ArrayBuffer>;
  encoded: Partial<Record<Encoding, Uint8Array<ArrayBuffer>>>;
}

const IMMUTABLE = "public, max-age=31536000, immutable";
const SHORT = "public, max-age=3600";

async function load(asset: StaticAsset): Promise<Loaded> {
  const file = Bun.file(asset.file);
  const raw = await file.bytes();
  const etag = `"${new Bun.CryptoHasher("sha1").update(raw).digest("hex").slice(0, 16)}"`;
  return { type: file.type, etag, raw, encoded: {} };
}

/**
 * Serve the built assets from memory: hashed names are cached forever, the rest for an hour;
 * each is compressed once per encoding at the highest quality, and ETags answer 304.
 */
export function staticPlugin() {
  const cache = new Map<string, Promise<Loaded>>();
  const app = new Elysia({ name: "static" });
  for (const [url, asset] of staticAssets()) {
    app.get(url, async ({ request }) => {
      let pending = cache.get(url);
      if (!pending) {
        pending = load(asset);
        cache.set(url, pending);
      }
      const loaded = await pending;
      const headers: Record<string, string> = {
        "content-type": loaded.type,
        "cache-control": asset.immutable ? IMMUTABLE : SHORT,
        etag: loaded.etag,
        vary: "Accept-Encoding",
      };
      if (request.headers.get("if-none-match") === loaded.etag)
        return new Response(null, { status: 304, headers });

      const encoding = chooseEncoding(request.headers.get("accept-encoding"));
      if (encoding && isCompressible(loaded.type) && loaded.raw.byteLength >= MIN_COMPRESS_BYTES) {
        loaded.encoded[encoding] ??= encode(loaded.raw, encoding, "static");
        headers["content-encoding"] = encoding;
        return new Response(loaded.encoded[encoding], { headers });
      }
      return new Response(loaded.raw, { headers });
    });
  }
  return app;
}
