import { describe, expect, test } from "bun:test";
import { chunkFile } from "../../src/search/chunker.ts";

const names = (path: string, src: string) =>
  chunkFile(path, src).map((c) => [c.className ?? null, c.functionName ?? null, c.lineStart, c.lineEnd]);

describe("chunkFile", () => {
  test("JavaScript: functions, arrow functions and module code", () => {
    const src =
      'import x from "y";\n\nfunction add(a, b) {\n  return a + b;\n}\n\nconst twice = (n) => n * 2;\nexport default add;\n';
    const chunks = chunkFile("src/math.js", src);
    expect(names("src/math.js", src)).toEqual([
      [null, null, 1, 1],
      [null, "add", 3, 5],
      [null, "twice", 7, 7],
      [null, null, 8, 8],
    ]);
    expect(chunks[1]!.language).toBe("javascript");
    expect(chunks[1]!.content).toBe("function add(a, b) {\n  return a + b;\n}");
    expect(chunks[1]!.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test("TypeScript: a class chunk plus one chunk per method with both names", () => {
    const src = [
      "/** Users. */",
      "export class UserService {",
      "  private cache = new Map<string, User>();",
      "  // Looks a user up.",
      "  getUserById(id: string): User | undefined {",
      "    return this.cache.get(id);",
      "  }",
      "  async save(u: User): Promise<void> {",
      "    this.cache.set(u.id, u);",
      "  }",
      "}",
      "interface User { id: string }",
    ].join("\n");
    expect(names("a.ts", src)).toEqual([
      ["UserService", null, 1, 3],
      ["UserService", "getUserById", 4, 7],
      ["UserService", "save", 8, 10],
      [null, null, 12, 12],
    ]);
    expect(chunkFile("a.ts", src)[0]!.language).toBe("typescript");
  });

  test("Python: class, methods, decorators, a nested function stays in its parent", () => {
    const src = [
      "import os",
      "",
      "class Store:",
      '    """Keeps things."""',
      "    limit = 3",
      "",
      "    @property",
      "    def size(self):",
      "        def helper():",
      "            return 1",
      "        return helper()",
      "",
      "def main():",
      "    pass",
      "",
    ].join("\n");
    expect(names("store.py", src)).toEqual([
      [null, null, 1, 1],
      ["Store", null, 3, 5],
      ["Store", "size", 7, 11],
      [null, "main", 13, 14],
    ]);
    expect(chunkFile("store.py", src)[2]!.content).toContain("def helper()");
  });

  test("a long function is split into overlapping windows that keep the name", () => {
    const body = Array.from({ length: 150 }, (_, i) => `    x${i} = ${i}`);
    const chunks = chunkFile("long.py", ["def big():", ...body].join("\n"));
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.functionName).toBe("big");
      expect(c.lineEnd - c.lineStart + 1).toBeLessThanOrEqual(60);
    }
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.lineStart).toBe(chunks[i - 1]!.lineEnd - 4);
    expect(chunks.at(-1)!.lineEnd).toBe(151);
  });

  test("a file with syntax errors still yields chunks covering its code", () => {
    const src = "function ok() { return 1; }\nfunction broken( {\n  let = ;\n}\nconst z = 3;\n";
    const chunks = chunkFile("bad.ts", src);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks[0]!.functionName).toBe("ok");
    expect(chunks.map((c) => c.content).join("\n")).toContain("const z = 3;");
    expect(chunkFile("bad.py", "def f(:\n  return )\nclass\n").length).toBeGreaterThan(0);
  });

  test("other files get 40-line windows with a 5-line overlap; blank chunks are skipped", () => {
    const md = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join("\n");
    const chunks = chunkFile("README.md", md);
    expect(chunks.map((c) => [c.lineStart, c.lineEnd])).toEqual([
      [1, 40],
      [36, 75],
      [71, 100],
    ]);
    expect(chunks[0]!.language).toBe("md");
    expect(chunkFile("notes", "\n  \n\n")).toEqual([]);
    expect(chunkFile("notes", "hi")[0]!.language).toBe("text");
  });
});
