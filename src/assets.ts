import { readFileSync } from "node:fs";
import { isLanguageId, type LanguageId } from "./common/languages.ts";
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
const preloads = new Map<string, string[]>();
const byFile = () =>
  new Map(Object.values(assetFiles).map((a) => [a.url.slice(a.url.lastIndexOf("/") + 1), a]));

/** A module's URL and the URLs of every chunk it imports statically, transitively. */
function staticClosure(asset: { url: string; file: string } | undefined): string[] {
  const files = byFile();
  const seen = new Set<string>();
  const visit = (a: { url: string; file: string } | undefined) => {
    if (!a || seen.has(a.url)) return;
    seen.add(a.url);
    for (const m of readFileSync(a.file, "utf8").matchAll(STATIC_IMPORT)) visit(files.get(m[1] ?? ""));
  };
  visit(asset);
  return [...seen];
}

/**
 * The URLs of a built module and of every chunk it imports statically, transitively: what a
 * page lists as `<link rel="modulepreload">` so the browser fetches them all at once instead of
 * discovering each import only after the previous file arrived. Read from the built files once.
 */
export function modulePreloads(name: AssetName): string[] {
  const known = preloads.get(name);
  if (known) return known;
  const urls = staticClosure(assetFiles[name]);
  preloads.set(name, urls);
  return urls;
}

/** The editor's grammar module for each language (src/common/languages.ts), by what it exports. */
const GRAMMAR_EXPORT: Record<LanguageId, string> = {
  javascript: "javascript",
  typescript: "javascript",
  python: "python",
  html: "html",
  css: "css",
  json: "json",
  markdown: "markdown",
};

/**
 * The chunks the editor island imports, dynamically, to highlight a file in `language`: the
 * chunk exporting that grammar and its static imports. A page that opens such a file preloads
 * them beside the entry, so the grammar is not fetched only after the entry has run. Empty for
 * languages without a grammar.
 */
export function grammarPreloads(language: string): string[] {
  const name = isLanguageId(language) ? GRAMMAR_EXPORT[language] : undefined;
  if (!name) return [];
  const key = `grammar:${name}`;
  const known = preloads.get(key);
  if (known) return known;
  const exporting = new RegExp(`export\\s*\\{[^}]*\\bas ${name}\\b`);
  const chunk = Object.values(assetFiles).find(
    (a) => /\/chunk\.[^/]+\.js$/.test(a.url) && exporting.test(readFileSync(a.file, "utf8")),
  );
  const urls = chunk ? staticClosure(chunk) : [];
  preloads.set(key, urls);
  return urls;
}
