import { readFileSync } from "node:fs";
import { assetFiles } from "./generated/assets.ts";

export type AssetName = keyof typeof assetFiles;

/** The public URL of a built asset (content-hashed for the immutable ones). */
export function assetUrl(name: AssetName): string {
  return assetFiles[name].url;
}

export interface StaticAsset {
  url: string;
  /** Path readable by Bun.file: on disk in development, inside the binary when compiled. */
  file: string;
  immutable: boolean;
}

/** Every servable asset by URL path. */
export function staticAssets(): Map<string, StaticAsset> {
  return new Map(Object.values(assetFiles).map((a) => [a.url, a]));
}

const STATIC_IMPORT = /\b(?:import|from)\s*["']\.\/([^"']+\.js)["']/g;
const preloads = new Map<AssetName, string[]>();

/**
 * The URLs of a built module and of every chunk it imports statically, transitively: what a
 * page lists as `<link rel="modulepreload">` so the browser fetches them all at once instead of
 * discovering each import only after the previous file arrived. Read from the built files once.
 */
export function modulePreloads(name: AssetName): string[] {
  const known = preloads.get(name);
  if (known) return known;
  const byFile = new Map(Object.values(assetFiles).map((a) => [a.url.slice(a.url.lastIndexOf("/") + 1), a]));
  const seen = new Set<string>();
  const visit = (asset: { url: string; file: string } | undefined) => {
    if (!asset || seen.has(asset.url)) return;
    seen.add(asset.url);
    for (const m of readFileSync(asset.file, "utf8").matchAll(STATIC_IMPORT)) visit(byFile.get(m[1] ?? ""));
  };
  visit(assetFiles[name]);
  const urls = [...seen];
  preloads.set(name, urls);
  return urls;
}
