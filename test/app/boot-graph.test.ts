import { describe, expect, test } from "bun:test";
import { dirname, join, relative } from "node:path";

const SRC = join(import.meta.dir, "..", "..", "src");
const transpiler = new Bun.Transpiler({ loader: "tsx" });

/**
 * The modules src/index.ts evaluates before its HTTP port opens: its static imports and
 * theirs, not the `import()` of the app. Type-only imports are not evaluated and are skipped.
 */
async function preListenGraph(): Promise<{ files: string[]; packages: Map<string, string> }> {
  const files: string[] = [];
  const packages = new Map<string, string>();
  const pending = [join(SRC, "index.ts")];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const found of transpiler.scanImports(await Bun.file(file).text())) {
      if (found.kind !== "import-statement") continue;
      if (found.path.startsWith(".")) pending.push(join(dirname(file), found.path));
      else if (!/^(node|bun):/.test(found.path)) packages.set(found.path, relative(SRC, file));
    }
  }
  return { files, packages };
}

describe("boot", () => {
  // /healthz answers before the app loads only if what loads first is small: the `openai`
  // SDK once came in through the configuration (a table of embedding sizes) and took
  // exec → first /healthz from ≈40 ms to ≈200 ms.
  test("nothing from node_modules loads before the HTTP port opens", async () => {
    const { files, packages } = await preListenGraph();
    expect(files.map((f) => relative(SRC, f))).toContain("config.ts");
    expect(Object.fromEntries(packages)).toEqual({});
  });
});
