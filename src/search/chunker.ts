/**
 * Splits a file into retrieval chunks. JS/TS and Python go through the real Lezer parsers:
 * one chunk per top-level function, per class method, and per run of class-level code (the class
 * header with its docstring and attributes is the class chunk; each method gets its own chunk with
 * both names, so a class never carries its methods twice). Functions nested in a function stay in
 * their parent's chunk. Code between definitions is grouped into module-level runs. Anything too
 * long is cut into overlapping windows that keep the names. Other files get plain line windows.
 * Chunks with no letter or digit (blank runs, a class's lone closing brace) are dropped.
 */

import type { SyntaxNode } from "@lezer/common";
import { parser as jsParser } from "@lezer/javascript";
import { parser as pyParser } from "@lezer/python";
import {
  extensionOf,
  type FileLanguage,
  fileLanguage,
  type LanguageId,
  languageOfPath,
} from "../common/languages.ts";
import type { Chunk } from "./types.ts";

const MAX_LINES = 60;
const MAX_CHARS = 3000;
const OVERLAP = 5;
const FALLBACK_LINES = 40;

/** The languages parsed into definitions; a chunk of any other file is labelled with its extension. */
const PARSED: ReadonlySet<LanguageId> = new Set(["javascript", "typescript", "python"]);

/** A chunk's language: `javascript`, `typescript` or `python`, else the file's extension, else `text`. */
export function chunkLanguageOf(path: string): string {
  const id = languageOfPath(path);
  return id && PARSED.has(id) ? id : extensionOf(path) || "text";
}

/** The Lezer dialect a JavaScript or TypeScript file is parsed in (JSX is allowed in any JavaScript file). */
function jsDialect(language: FileLanguage): string {
  if (language.id === "typescript") return language.jsx ? "ts jsx" : "ts";
  return "jsx";
}

interface Names {
  className?: string | undefined;
  functionName?: string | undefined;
}
/** A definition found in a container: a function (leaf) or a class (recursed into). */
interface Def extends Names {
  from: number;
  to: number;
  body?: SyntaxNode | undefined;
}

export function chunkFile(path: string, content: string): Chunk[] {
  const type = fileLanguage(path);
  const parsed = type && PARSED.has(type.id) ? type : undefined;
  const language = chunkLanguageOf(path);
  const lines = content.split("\n");
  const out: Chunk[] = [];
  const emit = (start: number, end: number, names: Names, max: number, maxChars: number) => {
    while (start < end && !lines[start]!.trim()) start++; // blank edges carry nothing to find
    while (end > start && !lines[end]!.trim()) end--;
    for (const [s, e] of windows(lines, start, end, max, maxChars)) {
      const text = lines.slice(s, e + 1).join("\n");
      if (!/[\p{L}\p{N}]/u.test(text)) continue; // blank, or only closing braces: nothing to find
      out.push(makeChunk(path, language, names, s + 1, e + 1, text));
    }
  };
  if (!parsed) {
    emit(0, lines.length - 1, {}, FALLBACK_LINES, Number.POSITIVE_INFINITY);
    return out;
  }
  const isJs = parsed.id !== "python";
  const tree = isJs
    ? jsParser.configure({ dialect: jsDialect(parsed) }).parse(content)
    : pyParser.parse(content);
  const starts = lineStarts(content);
  const lineOf = (pos: number) => lineAt(starts, pos);
  const walk = (container: SyntaxNode, first: number, last: number, ctx: Names) => {
    const defs: Def[] = [];
    for (let c = container.firstChild; c; c = c.nextSibling) {
      const def = isJs ? jsDef(c, content) : pyDef(c, content);
      if (def) defs.push(def);
    }
    let cursor = first; // first line not yet emitted
    for (const d of defs) {
      const e = lastCodeLine(lines, lineOf(d.from), lineOf(Math.max(d.from, d.to - 1)));
      if (e < cursor) continue; // shares its only line with the previous definition: already in that chunk
      let s = Math.max(lineOf(d.from), cursor);
      while (s > cursor && isCommentLine(lines[s - 1]!)) s--; // a leading doc comment belongs to it
      if (s > cursor) emit(cursor, s - 1, ctx, MAX_LINES, MAX_CHARS);
      if (d.body) walk(d.body, s, e, { className: d.className });
      else
        emit(
          s,
          e,
          { className: d.className ?? ctx.className, functionName: d.functionName },
          MAX_LINES,
          MAX_CHARS,
        );
      cursor = Math.max(cursor, e + 1);
    }
    if (cursor <= last) emit(cursor, last, ctx, MAX_LINES, MAX_CHARS);
  };
  walk(tree.topNode, 0, lines.length - 1, {});
  return out;
}

const text = (n: SyntaxNode | null, src: string) => (n ? src.slice(n.from, n.to) : undefined);

function pyDef(node: SyntaxNode, src: string): Def | undefined {
  const inner = node.name === "DecoratedStatement" ? node.lastChild : node;
  if (!inner) return undefined;
  const name = text(inner.getChild("VariableName"), src);
  if (inner.name === "FunctionDefinition") return { from: node.from, to: node.to, functionName: name };
  if (inner.name === "ClassDefinition")
    return { from: node.from, to: node.to, className: name, body: inner.getChild("Body") ?? undefined };
  return undefined;
}

const JS_FUNCTION_VALUES = new Set(["ArrowFunction", "FunctionExpression"]);

function jsDef(node: SyntaxNode, src: string): Def | undefined {
  let inner: SyntaxNode | null = node;
  if (node.name === "ExportDeclaration")
    inner =
      node.getChild("FunctionDeclaration") ??
      node.getChild("ClassDeclaration") ??
      node.getChild("VariableDeclaration");
  if (!inner) return undefined;
  const span = { from: node.from, to: node.to };
  switch (inner.name) {
    case "FunctionDeclaration":
      return { ...span, functionName: text(inner.getChild("VariableDefinition"), src) ?? "default" };
    case "ClassDeclaration":
      return {
        ...span,
        className: text(inner.getChild("VariableDefinition"), src) ?? "default",
        body: inner.getChild("ClassBody") ?? undefined,
      };
    case "VariableDeclaration": {
      // `const f = () => …` is a function in all but syntax; several declarators stay module code.
      const defs = inner.getChildren("VariableDefinition");
      const isFn = defs.length === 1 && inner.getChildren("Equals").length === 1;
      const value = inner.getChild("Equals")?.nextSibling;
      if (isFn && value && JS_FUNCTION_VALUES.has(value.name))
        return { ...span, functionName: text(defs[0]!, src) };
      return undefined;
    }
    case "MethodDeclaration":
      return {
        ...span,
        functionName: text(
          inner.getChild("PropertyDefinition") ?? inner.getChild("PrivatePropertyDefinition"),
          src,
        ),
      };
    case "PropertyDeclaration": {
      const value = inner.getChild("Equals")?.nextSibling;
      if (!value || !JS_FUNCTION_VALUES.has(value.name)) return undefined;
      return {
        ...span,
        functionName: text(
          inner.getChild("PropertyDefinition") ?? inner.getChild("PrivatePropertyDefinition"),
          src,
        ),
      };
    }
  }
  return undefined;
}

function isCommentLine(line: string): boolean {
  const t = line.trimStart();
  return t.startsWith("#") || t.startsWith("//") || t.startsWith("/*") || t.startsWith("*");
}

/** Parsers let a body run to the next statement; stop at its last non-blank line. */
function lastCodeLine(lines: string[], start: number, end: number): number {
  while (end > start && !lines[end]!.trim()) end--;
  return end;
}

function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = src.indexOf("\n"); i !== -1; i = src.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line of an offset (binary search over line starts). */
function lineAt(starts: number[], pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** [start, end] 0-based inclusive windows over lines start..end, each ≤ max lines and ≤ maxChars. */
function windows(
  lines: string[],
  start: number,
  end: number,
  max: number,
  maxChars: number,
): [number, number][] {
  const out: [number, number][] = [];
  let s = start;
  while (s <= end) {
    let e = s;
    let chars = lines[s]!.length;
    while (e < end && e - s + 1 < max && chars + lines[e + 1]!.length + 1 <= maxChars)
      chars += lines[++e]!.length + 1;
    out.push([s, e]);
    if (e >= end) break;
    // Overlap keeps a statement cut at the boundary readable in both windows, but always advance.
    s = Math.max(s + 1, e + 1 - OVERLAP);
  }
  return out;
}

function makeChunk(
  path: string,
  language: string,
  names: Names,
  lineStart: number,
  lineEnd: number,
  content: string,
): Chunk {
  const hash = new Bun.CryptoHasher("sha256")
    .update(`${path}\0${names.className ?? ""}\0${names.functionName ?? ""}\0${content}`)
    .digest("hex");
  return {
    path,
    language,
    functionName: names.functionName,
    className: names.className,
    lineStart,
    lineEnd,
    content,
    contentHash: hash,
  };
}
