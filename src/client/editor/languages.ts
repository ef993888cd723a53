import type { LanguageSupport } from "@codemirror/language";
import { fileLanguage, type LanguageId, languageNamed } from "../../common/languages.ts";
import type { CompletionLoader } from "./completion.ts";

/** A file type the editor can highlight, with the name the status bar shows. */
export interface LanguageInfo {
  name: string;
  load: () => Promise<LanguageSupport>;
  /** Completion sources kept out of `load`, fetched with the completion package. */
  completions?: CompletionLoader;
}

// One dynamic import per package, so a page only downloads the grammar it shows. JavaScript's
// completions are split off so the grammar does not bring in @codemirror/autocomplete.
const javascript = (name: string, jsx: boolean, typescript: boolean): LanguageInfo => ({
  name,
  load: async () => (await import("./javascript.ts")).javascript(jsx, typescript),
  completions: async () => (await import("./javascript-completions.ts")).javascriptCompletions(typescript),
});

const JAVASCRIPT = javascript("JavaScript", false, false);
const JSX = javascript("JavaScript (JSX)", true, false);
const TYPESCRIPT = javascript("TypeScript", false, true);
const TSX = javascript("TypeScript (TSX)", true, true);

/** The editor's support for each language (src/common/languages.ts decides which one a file is). */
const EDITOR: Record<LanguageId, (jsx: boolean) => LanguageInfo> = {
  javascript: (jsx) => (jsx ? JSX : JAVASCRIPT),
  typescript: (jsx) => (jsx ? TSX : TYPESCRIPT),
  python: () => ({ name: "Python", load: async () => (await import("./python.ts")).python() }),
  html: () => ({
    name: "HTML",
    load: async () => (await import("./html.ts")).html(),
    completions: async () => (await import("./html.ts")).htmlCompletions(),
  }),
  css: () => ({ name: "CSS", load: async () => (await import("@codemirror/lang-css")).css() }),
  json: () => ({ name: "JSON", load: async () => (await import("@codemirror/lang-json")).json() }),
  markdown: () => ({ name: "Markdown", load: async () => (await import("./markdown.ts")).markdown() }),
};

/**
 * Find the language for a file from its extension, falling back to the server's hint
 * (`data-language`, the language stored with the file). Returns undefined for plain text; do not
 * use it to validate paths.
 */
export function languageFor(path: string, hint?: string): LanguageInfo | undefined {
  const language = fileLanguage(path) ?? languageNamed(hint);
  return language ? EDITOR[language.id](language.jsx) : undefined;
}
