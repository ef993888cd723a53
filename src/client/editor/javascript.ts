import {
  autoCloseTags,
  javascriptLanguage,
  jsxLanguage,
  tsxLanguage,
  typescriptLanguage,
} from "@codemirror/lang-javascript";
import { LanguageSupport } from "@codemirror/language";

/**
 * JavaScript or TypeScript highlighting, indentation and folding without the completion
 * sources, so the grammar chunk does not pull in @codemirror/autocomplete; those come with
 * `javascriptCompletions` once the editor is used.
 */
export function javascript(jsx: boolean, typescript: boolean): LanguageSupport {
  const lang = jsx
    ? typescript
      ? tsxLanguage
      : jsxLanguage
    : typescript
      ? typescriptLanguage
      : javascriptLanguage;
  return new LanguageSupport(lang, jsx ? autoCloseTags : []);
}
