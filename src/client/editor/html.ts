import { cssCompletionSource, cssLanguage } from "@codemirror/lang-css";
import { autoCloseTags, htmlCompletionSource, htmlLanguage } from "@codemirror/lang-html";
import { LanguageSupport } from "@codemirror/language";
import type { Extension } from "@codemirror/state";
import { javascriptCompletions } from "./javascript-completions.ts";

/**
 * HTML (with nested CSS and JavaScript) without the completion sources; `html()` from
 * @codemirror/lang-html would call `javascript()` and keep @codemirror/autocomplete in the
 * JavaScript grammar chunk every .js page loads.
 */
export function html(): LanguageSupport {
  return new LanguageSupport(htmlLanguage, autoCloseTags);
}

/** The completions `html()` would add: tags and attributes, and CSS and JavaScript inside. */
export function htmlCompletions(): Extension {
  return [
    htmlLanguage.data.of({ autocomplete: htmlCompletionSource }),
    javascriptCompletions(false),
    cssLanguage.data.of({ autocomplete: cssCompletionSource }),
  ];
}
