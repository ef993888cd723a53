import type { Parser } from "@lezer/common";
import { parser as cssParser } from "@lezer/css";
import { classHighlighter, highlightCode } from "@lezer/highlight";
import { parser as htmlParser } from "@lezer/html";
import { parser as jsParser } from "@lezer/javascript";
import { parser as jsonParser } from "@lezer/json";
import { parser as pythonParser } from "@lezer/python";
import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";
import { type FileLanguage, type LanguageId, languageNamed } from "../../common/languages.ts";

/** Text as HTML: & < > " ' escaped. */
const esc = (text: string) => Bun.escapeHTML(text);

/** The Lezer grammar of each language that has one; a JSX file gets its dialect. */
const GRAMMARS: Partial<Record<LanguageId, (jsx: boolean) => Parser>> = {
  javascript: (jsx) => (jsx ? jsParser.configure({ dialect: "jsx" }) : jsParser),
  typescript: (jsx) => jsParser.configure({ dialect: jsx ? "ts jsx" : "ts" }),
  python: () => pythonParser,
  css: () => cssParser,
  html: () => htmlParser,
  json: () => jsonParser,
};

/**
 * Code as highlighted HTML: the same Lezer grammars the editor uses, with the `tok-*` classes
 * of @lezer/highlight's classHighlighter (styled in app.css). `language` is a language id or
 * an extension (src/common/languages.ts), as a code fence names it; unknown languages stay plain.
 */
export function highlight(code: string, language: string): string {
  return highlightAs(code, languageNamed(language));
}

/** Code as highlighted HTML in a language already decided; plain (escaped) text without one or its grammar. */
export function highlightAs(code: string, language: FileLanguage | undefined): string {
  const parser = language && GRAMMARS[language.id]?.(language.jsx);
  if (!parser) return esc(code);
  let out = "";
  highlightCode(
    code,
    parser.parse(code),
    classHighlighter,
    (text, classes) => {
      out += classes ? `<span class="${classes}">${esc(text)}</span>` : esc(text);
    },
    () => {
      out += "\n";
    },
  );
  return out;
}

const UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
/** Lines a setext heading's text cannot run across: blank, ATX heading, quote, fence, `***` or `___` rule. */
const ENDS_TEXT = /^(?:\s*$| {0,3}(?:#{1,6}(?:\s|$)|>|`{3,}|~{3,}|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$))/;

/**
 * Whether marked's setext-heading rule could match at the start of `src`: only when a line of
 * `=` or `-` follows before the text must end. That rule's regex scans the whole paragraph at
 * ≈20 µs a character (a 216 KB paragraph: seconds, on the event loop), ~100× the cost of the
 * rest of the rendering, and it is tried at every paragraph; this linear scan lets it run only
 * where it can match. It stops only where the rule's text must stop too, so it never hides one.
 */
export function mayBeSetextHeading(src: string): boolean {
  for (let end = src.indexOf("\n"); end >= 0; ) {
    const next = src.indexOf("\n", end + 1);
    const line = src.slice(end + 1, next < 0 ? undefined : next);
    if (UNDERLINE.test(line)) return true;
    if (ENDS_TEXT.test(line)) return false;
    end = next;
  }
  return false;
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  // `false` hands over to marked's own rule; `undefined` means "no setext heading here".
  tokenizer: { lheading: (src: string) => (mayBeSetextHeading(src) ? false : undefined) },
  renderer: {
    // Raw HTML in a model's answer is shown as text, never interpreted.
    html: ({ text }: Tokens.HTML | Tokens.Tag) => esc(text),
    code({ text, lang }: Tokens.Code) {
      const [language = "", path] = (lang ?? "").trim().split(/\s+/);
      const head = path ?? language;
      return (
        `<figure class="ai-code" data-language="${esc(language)}"${path ? ` data-path="${esc(path)}"` : ""}>` +
        (head ? `<figcaption>${esc(head)}</figcaption>` : "") +
        `<pre><code>${highlight(text, language)}</code></pre></figure>`
      );
    },
    // Images become links: no remote fetches from the page (the CSP would block them anyway).
    image: ({ href, text }: Tokens.Image) => `<a href="${esc(href)}">${esc(text || href)}</a>`,
  },
});

/** What an answer's HTML may contain: formatting, links to http(s) and relative URLs, highlighted code. */
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "figure",
    "figcaption",
    "input",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    span: ["class"],
    figure: ["class", "data-language", "data-path"],
    th: ["align"],
    td: ["align"],
    ol: ["start"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: { span: [/^tok-[\w-]+$/], figure: ["ai-code"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }),
  },
};

/**
 * A model's Markdown answer as safe HTML: rendered by marked (raw HTML escaped, code blocks
 * highlighted), then passed through an allowlist sanitizer, so no script, handler, style or
 * `javascript:` URL survives whatever the model wrote.
 */
export function renderAnswer(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return sanitizeHtml(html, ALLOWED);
}
