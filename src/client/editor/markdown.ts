import { commonmarkLanguage } from "@codemirror/lang-markdown";
import { LanguageSupport } from "@codemirror/language";

/**
 * Markdown (CommonMark) highlighting and folding; GitHub extensions (tables, task lists) stay
 * plain text to keep the bundle within its budget. Unlike `markdown()` it does not highlight
 * HTML inside the text, complete tags, continue lists on Enter or turn pasted URLs into links:
 * that function builds an HTML language at load time, which drags HTML, CSS, JavaScript and
 * @codemirror/autocomplete into the JavaScript grammar's chunk, and its keymap costs 2 KB of
 * the 250 KB total budget.
 */
export function markdown(): LanguageSupport {
  return new LanguageSupport(commonmarkLanguage);
}
