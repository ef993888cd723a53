import { localCompletionSource, pythonLanguage } from "@codemirror/lang-python";
import { LanguageSupport } from "@codemirror/language";

/**
 * Python highlighting, folding and completion of the names in scope. Unlike `python()` it
 * leaves out the list of builtins and snippets, which kept the editor over its size budget.
 */
export function python(): LanguageSupport {
  return new LanguageSupport(pythonLanguage, pythonLanguage.data.of({ autocomplete: localCompletionSource }));
}
