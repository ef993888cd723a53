import type { LanguageSupport } from "@codemirror/language";
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

const LANGUAGES: Record<string, LanguageInfo> = {
  js: javascript("JavaScript", false, false),
  mjs: javascript("JavaScript", false, false),
  cjs: javascript("JavaScript", false, false),
  jsx: javascript("JavaScript (JSX)", true, false),
  ts: javascript("TypeScript", false, true),
  tsx: javascript("TypeScript (TSX)", true, true),
  py: { name: "Python", load: async () => (await import("./python.ts")).python() },
  html: {
    name: "HTML",
    load: async () => (await import("./html.ts")).html(),
    completions: async () => (await import("./html.ts")).htmlCompletions(),
  },
  css: { name: "CSS", load: async () => (await import("@codemirror/lang-css")).css() },
  json: { name: "JSON", load: async () => (await import("@codemirror/lang-json")).json() },
  md: { name: "Markdown", load: async () => (await import("./markdown.ts")).markdown() },
};

const ALIASES: Record<string, string> = {
  javascript: "js",
  typescript: "ts",
  python: "py",
  htm: "html",
  markdown: "md",
};

/**
 * Find the language for a file from its extension, falling back to the server's hint
 * (`data-language`). Returns undefined for plain text; do not use it to validate paths.
 */
export function languageFor(path: string, hint?: string): LanguageInfo | undefined {
  const dot = path.lastIndexOf(".");
  const slash = path.lastIndexOf("/");
  const ext = dot > slash ? path.slice(dot + 1).toLowerCase() : "";
  for (const key of [ext, hint?.toLowerCase() ?? ""]) {
    const found = LANGUAGES[ALIASES[key] ?? key];
    if (found) return found;
  }
  return undefined;
}
