// biome-ignore-all lint/suspicious/noTemplateCurlyInString: snippet templates use ${field} placeholders.
import { type Completion, completeFromList, ifNotIn, snippetCompletion } from "@codemirror/autocomplete";
import { javascriptLanguage, localCompletionSource } from "@codemirror/lang-javascript";
import type { Extension } from "@codemirror/state";

// The snippets, keywords and no-completion nodes of @codemirror/lang-javascript's `javascript()`
// (MIT, Marijn Haverbeke), copied: importing its `snippets` would keep the package's
// `snippetCompletion` call, and with it @codemirror/autocomplete, in the grammar chunk.
const snippet = (template: string, label: string, detail: string) =>
  snippetCompletion(template, { label, detail, type: "keyword" });
const JS_SNIPPETS: Completion[] = [
  snippet("function ${name}(${params}) {\n\t${}\n}", "function", "definition"),
  snippet("for (let ${index} = 0; ${index} < ${bound}; ${index}++) {\n\t${}\n}", "for", "loop"),
  snippet("for (let ${name} of ${collection}) {\n\t${}\n}", "for", "of loop"),
  snippet("do {\n\t${}\n} while (${})", "do", "loop"),
  snippet("while (${}) {\n\t${}\n}", "while", "loop"),
  snippet("try {\n\t${}\n} catch (${error}) {\n\t${}\n}", "try", "/ catch block"),
  snippet("if (${}) {\n\t${}\n}", "if", "block"),
  snippet("if (${}) {\n\t${}\n} else {\n\t${}\n}", "if", "/ else block"),
  snippet("class ${name} {\n\tconstructor(${params}) {\n\t\t${}\n\t}\n}", "class", "definition"),
  snippet('import {${names}} from "${module}"\n${}', "import", "named"),
  snippet('import ${name} from "${module}"\n${}', "import", "default"),
];
const TS_SNIPPETS = JS_SNIPPETS.concat([
  snippet("interface ${name} {\n\t${}\n}", "interface", "definition"),
  snippet("type ${name} = ${type}", "type", "definition"),
  snippet("enum ${name} {\n\t${}\n}", "enum", "definition"),
]);
const keywords = (words: string) => words.split(" ").map((label) => ({ label, type: "keyword" }));
const JS_KEYWORDS = keywords(
  "break case const continue default delete export extends false finally in instanceof let new return static super switch this throw true typeof var yield",
);
const TS_KEYWORDS = JS_KEYWORDS.concat(keywords("declare implements private protected public"));
const DONT_COMPLETE = [
  "TemplateString",
  "String",
  "RegExp",
  "LineComment",
  "BlockComment",
  "VariableDefinition",
  "TypeDefinition",
  "Label",
  "PropertyDefinition",
  "PropertyName",
  "PrivatePropertyDefinition",
  "PrivatePropertyName",
  "JSXText",
  "JSXAttributeValue",
  "JSXOpenTag",
  "JSXCloseTag",
  "JSXSelfClosingTag",
  ".",
  "?.",
];

/** The completions `javascript()` would add: snippets, keywords and names in scope. */
export function javascriptCompletions(typescript: boolean): Extension {
  const list = typescript ? TS_SNIPPETS.concat(TS_KEYWORDS) : JS_SNIPPETS.concat(JS_KEYWORDS);
  return [
    javascriptLanguage.data.of({ autocomplete: ifNotIn(DONT_COMPLETE, completeFromList(list)) }),
    javascriptLanguage.data.of({ autocomplete: localCompletionSource }),
  ];
}
