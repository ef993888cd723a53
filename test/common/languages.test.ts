import { describe, expect, test } from "bun:test";
import { languageFor } from "../../src/client/editor/languages.ts";
import {
  extensionOf,
  fileLanguage,
  LANGUAGE_IDS,
  languageNamed,
  languageOfPath,
} from "../../src/common/languages.ts";
import { highlight, highlightAs } from "../../src/features/ai/render.ts";
import { highlightLines } from "../../src/features/editor/code.ts";
import { languageOf } from "../../src/features/files/paths.ts";
import { runLanguageOf } from "../../src/features/sandbox/model.ts";
import { chunkFile, chunkLanguageOf } from "../../src/search/chunker.ts";

/** Every extension Aura knows, with the language and dialect it is decided to be. */
const KNOWN = [
  ["js", "javascript", false],
  ["mjs", "javascript", false],
  ["cjs", "javascript", false],
  ["jsx", "javascript", true],
  ["ts", "typescript", false],
  ["mts", "typescript", false],
  ["cts", "typescript", false],
  ["tsx", "typescript", true],
  ["py", "python", false],
  ["pyi", "python", false],
  ["html", "html", false],
  ["htm", "html", false],
  ["css", "css", false],
  ["json", "json", false],
  ["md", "markdown", false],
  ["markdown", "markdown", false],
] as const;

describe("the one decision of a file's language", () => {
  test.each(KNOWN)(".%s is %s (jsx: %p), in any case and any folder", (ext, id, jsx) => {
    expect(fileLanguage(`src/a/file.${ext}`)).toEqual({ id, jsx });
    expect(fileLanguage(`FILE.${ext.toUpperCase()}`)).toEqual({ id, jsx });
    expect(languageOfPath(`x.y.${ext}`)).toBe(id);
    // A code fence may name the extension instead of the language.
    expect(languageNamed(ext)).toEqual({ id, jsx });
  });

  test("a language id names itself, in any case", () => {
    for (const id of LANGUAGE_IDS) expect(languageNamed(id.toUpperCase())).toEqual({ id, jsx: false });
    expect(languageNamed(undefined)).toBeUndefined();
    expect(languageNamed("plaintext")).toBeUndefined();
  });

  test("no extension, an unknown one, or only a leading dot is plain text", () => {
    for (const path of [
      "Makefile",
      "notes",
      "a/b.go",
      ".py",
      "dir.py/README",
      ".gitignore",
      "x.",
      "x.constructor",
    ]) {
      expect(fileLanguage(path)).toBeUndefined();
    }
    expect(extensionOf(".eslintrc.json")).toBe("json");
    expect(extensionOf("a.b/c")).toBe("");
    expect(extensionOf("a/.env")).toBe("");
  });
});

describe("each concern keeps its own table, keyed by the language decided once", () => {
  test("the stored language: the id, else plaintext", () => {
    for (const [ext, id] of KNOWN) expect(languageOf(`f.${ext}`)).toBe(id);
    expect(languageOf("Dockerfile")).toBe("plaintext");
    expect(languageOf("a.rs")).toBe("plaintext");
  });

  test("a run: JavaScript, TypeScript and Python files only", () => {
    for (const [ext, id] of KNOWN) {
      const runs = id === "javascript" || id === "typescript" || id === "python";
      expect(runLanguageOf(`f.${ext}`)).toBe(runs ? id : undefined);
    }
  });

  test("a search chunk: the parsed languages by id, anything else by its extension", () => {
    expect(chunkLanguageOf("a.tsx")).toBe("typescript");
    expect(chunkLanguageOf("a.cjs")).toBe("javascript");
    expect(chunkLanguageOf("a.pyi")).toBe("python");
    expect(chunkLanguageOf("README.md")).toBe("md");
    expect(chunkLanguageOf("page.htm")).toBe("htm");
    expect(chunkLanguageOf("main.go")).toBe("go");
    expect(chunkLanguageOf("notes")).toBe("text");
    // JSX parses in any JavaScript file; TSX only in .tsx.
    const jsx = "function App() {\n  return <div>hi</div>;\n}\n";
    expect(chunkFile("a.js", jsx)[0]?.functionName).toBe("App");
    expect(chunkFile("a.tsx", jsx)[0]?.functionName).toBe("App");
  });

  test("server highlighting: the path's dialect, the stored language when the extension says nothing", () => {
    const tsx = "const a = <b>{1 as number}</b>;";
    expect(highlightLines("a.tsx", "typescript", tsx)).toEqual([
      highlightAs(tsx, { id: "typescript", jsx: true }),
    ]);
    expect(highlightLines("a.mts", "typescript", "let a: number")[0]).toContain('class="tok-');
    expect(highlightLines("a.cjs", "javascript", "let a = 1")[0]).toContain('class="tok-');
    expect(highlightLines("Pipfile", "python", "def f(): pass")[0]).toContain('class="tok-');
    expect(highlightLines("a.md", "markdown", "# <b>")[0]).toBe("# &lt;b&gt;");
    expect(highlight("let a = 1", "JS")).toBe(highlight("let a = 1", "javascript"));
    expect(highlight("<x>", "cobol")).toBe("&lt;x&gt;");
  });

  test("server highlighting is remembered per grammar and text: the same text again is the same lines, another grammar is its own", () => {
    const text = `const a = <b>{1}</b>; // ${crypto.randomUUID()}`;
    const first = highlightLines("a.jsx", "javascript", text);
    expect(highlightLines("b.jsx", "javascript", text)).toBe(first);
    const plain = highlightLines("a.js", "javascript", text);
    expect(plain).not.toBe(first);
    expect(plain).toEqual([highlightAs(text, { id: "javascript", jsx: false })]);
    expect(highlightLines("a.py", "python", text)).toEqual([highlightAs(text, { id: "python", jsx: false })]);
  });

  test("the editor: the extension, else the server's hint; named for the status bar", () => {
    const names: Record<string, string> = {
      js: "JavaScript",
      mjs: "JavaScript",
      cjs: "JavaScript",
      jsx: "JavaScript (JSX)",
      ts: "TypeScript",
      mts: "TypeScript",
      cts: "TypeScript",
      tsx: "TypeScript (TSX)",
      py: "Python",
      pyi: "Python",
      html: "HTML",
      htm: "HTML",
      css: "CSS",
      json: "JSON",
      md: "Markdown",
      markdown: "Markdown",
    };
    for (const [ext] of KNOWN) expect(languageFor(`f.${ext}`)?.name).toBe(names[ext]!);
    expect(languageFor("Pipfile", "python")?.name).toBe("Python");
    expect(languageFor("a.tsx", "javascript")?.name).toBe("TypeScript (TSX)");
    expect(languageFor("notes.txt", "plaintext")).toBeUndefined();
    expect(languageFor("notes")).toBeUndefined();
  });
});
