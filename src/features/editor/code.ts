import { LRUCache } from "lru-cache";
import { fileLanguage, languageNamed } from "../../common/languages.ts";
import { highlightAs } from "../ai/render.ts";

/** Above either cap the static copy is plain escaped lines: highlighting would cost the server more than it saves the reader. */
const HIGHLIGHT_MAX_BYTES = 200 * 1024;
const HIGHLIGHT_MAX_LINES = 5_000;

/**
 * A file's lines as HTML, one string per line (no newlines): every character escaped, tokens in
 * `<span class="tok-…">` from the same Lezer grammars and classHighlighter the editor island
 * uses, so the server's colours and the editor's are the same CSS. Line breaks are split as
 * CodeMirror splits them (\n, \r\n, \r). Over HIGHLIGHT_MAX_BYTES or HIGHLIGHT_MAX_LINES the
 * lines are escaped but not highlighted, so a huge file costs the page one pass of escaping.
 */
export function highlightLines(path: string, language: string, text: string): readonly string[] {
  const normal = text.replace(/\r\n?/g, "\n");
  const lineCount = countLines(normal);
  if (normal.length > HIGHLIGHT_MAX_BYTES || lineCount > HIGHLIGHT_MAX_LINES)
    return normal.split("\n").map((line) => Bun.escapeHTML(line));
  // The path decides (a .tsx file needs its dialect); the stored language stands in for an
  // extension that says nothing. highlightAs() escapes what it does not know, and never puts a
  // newline inside a span.
  const grammar = fileLanguage(path) ?? languageNamed(language);
  // Keyed by the text itself, not a hash of it: one project's file can never be served from
  // another's entry, whatever its content.
  const key = `${grammar?.id ?? ""}${grammar?.jsx ? "+jsx" : ""}\n${normal}`;
  let lines = highlighted.get(key);
  if (!lines) {
    lines = highlightAs(normal, grammar).split("\n");
    highlighted.set(key, lines);
  }
  return lines;
}

/**
 * Highlighted files by grammar and text, so opening the same version again (another tab, a
 * collaborator, switching back) is not parsed again: parsing is most of the open-file
 * fragment's work. Bounded by characters held, keys included.
 */
const highlighted = new LRUCache<string, string[]>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (lines, key) => key.length + lines.reduce((n, line) => n + line.length + 16, 0),
});

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
