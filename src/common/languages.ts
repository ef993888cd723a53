/**
 * Which language a file is written in, decided from its extension in this one place: the
 * language stored with a file, the grammar that highlights it (on the server and in the editor),
 * how the code search chunks it and what a Run runs it as all start here. Each of those keeps
 * its own table keyed by the LanguageId decided here (a grammar, a run command, a status-bar
 * name), never by extension.
 *
 * The editor island bundles this module: it imports nothing, and nothing from Node or Bun.
 */

export const LANGUAGE_IDS = [
  "javascript",
  "typescript",
  "python",
  "html",
  "css",
  "json",
  "markdown",
] as const;

export type LanguageId = (typeof LANGUAGE_IDS)[number];

/** A file's language and, for JavaScript and TypeScript, whether it is the JSX dialect (`.jsx`, `.tsx`). */
export interface FileLanguage {
  id: LanguageId;
  jsx: boolean;
}

const EXTENSIONS = new Map<string, FileLanguage>();
const add = (id: LanguageId, extensions: string[], jsx = false) => {
  for (const ext of extensions) EXTENSIONS.set(ext, { id, jsx });
};
add("javascript", ["js", "mjs", "cjs"]);
add("javascript", ["jsx"], true);
add("typescript", ["ts", "mts", "cts"]);
add("typescript", ["tsx"], true);
add("python", ["py", "pyi"]);
add("html", ["html", "htm"]);
add("css", ["css"]);
add("json", ["json"]);
add("markdown", ["md", "markdown"]);

const IDS: ReadonlySet<string> = new Set(LANGUAGE_IDS);

export function isLanguageId(name: string): name is LanguageId {
  return IDS.has(name);
}

/**
 * A path's extension, lower-cased, without the dot; "" when it has none. A name's leading dot
 * starts no extension (`.py` and `.gitignore` have none).
 */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** The language of a file by its extension; undefined for one Aura does not know (plain text). */
export function fileLanguage(path: string): FileLanguage | undefined {
  return EXTENSIONS.get(extensionOf(path));
}

/** The language id of a file by its extension; undefined for plain text. */
export function languageOfPath(path: string): LanguageId | undefined {
  return fileLanguage(path)?.id;
}

/**
 * The language a name stands for, in any case: a language id (`typescript`, as stored with a
 * file) or an extension (`tsx`, as a code fence's info string often says).
 */
export function languageNamed(name: string | undefined): FileLanguage | undefined {
  const key = (name ?? "").trim().toLowerCase();
  if (isLanguageId(key)) return { id: key, jsx: false };
  return EXTENSIONS.get(key);
}
