import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleEditor, bundleShell, bundleTerminal } from "../../scripts/build-assets.ts";
import { assetUrl } from "../../src/assets.ts";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const KB = 1024;
// Bundle the current source into a scratch folder: public/assets may be stale, and rebuilding it
// here would pull files from under other tests that already loaded the manifest.
const assets = mkdtempSync(join(tmpdir(), "aura-budgets-"));
const read = (file: string) => readFileSync(join(assets, file));
const gzip = (file: string) => Bun.gzipSync(read(file), { level: 9 }).length;

const STATIC = /\b(?:import|from)\s*["']\.\/([^"']+\.js)["']/g;
const DYNAMIC = /\bimport\(\s*["']\.\/([^"']+\.js)["']\s*\)/g;
const targets = (file: string, pattern: RegExp) =>
  [...read(file).toString().matchAll(pattern)].map((m) => m[1] as string);

/** Every file a module pulls in before it runs: itself and its static imports, transitively. */
function closure(
  roots: string[],
  follow: (file: string) => string[] = (f) => targets(f, STATIC),
): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of follow(file)) visit(next);
  };
  for (const root of roots) visit(root);
  return seen;
}

const sum = (files: Iterable<string>) => [...files].reduce((total, f) => total + gzip(f), 0);
const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

describe("client JavaScript budgets (gzip -9 bytes)", () => {
  let built: string[];
  beforeAll(async () => {
    built = [
      ...(await bundleEditor(assets)),
      ...(await bundleShell(assets)),
      ...(await bundleTerminal(assets)),
    ].map((o) => o.file);
    copyFileSync(
      join(import.meta.dir, "../../node_modules/htmx.org/dist/htmx.min.js"),
      join(assets, "htmx.js"),
    );
    built.push("htmx.js");
  }, 60_000);
  afterAll(() => rmSync(assets, { recursive: true, force: true }));

  const file = (prefix: string) => {
    const found = built.find((f) => f.startsWith(prefix) && f.endsWith(".js"));
    if (!found) throw new Error(`no built ${prefix}*.js`);
    return found;
  };
  // A lazy piece is the dynamic import whose module exports the named binding.
  const lazyExporting = (name: string) => {
    const entry = file("editor.");
    const all = closure([entry], (f) => [...targets(f, STATIC), ...targets(f, DYNAMIC)]);
    const found = [...all].find((f) =>
      new RegExp(`export\\s*\\{[^}]*\\bas ${name}\\b`).test(read(f).toString()),
    );
    if (!found) throw new Error(`no chunk exports ${name}`);
    return found;
  };

  test("prints every piece", () => {
    const entry = file("editor.");
    const all = closure([entry], (f) => [...targets(f, STATIC), ...targets(f, DYNAMIC)]);
    for (const f of [file("htmx."), file("shell."), file("terminal."), ...all]) {
      console.log(`  ${f.padEnd(24)} ${kb(read(f).length).padStart(9)} min  ${kb(gzip(f)).padStart(8)} gzip`);
    }
  });

  test("the shell before the editor (htmx + glue) stays within 25 KB", () => {
    const shell = sum([file("htmx."), file("shell.")]);
    console.log(`shell: ${kb(shell)} of 25 KB`);
    expect(shell).toBeLessThanOrEqual(25 * KB);
  });

  // 170 KB before live documents (167.8 KB); Yjs, y-websocket, y-protocols and y-codemirror.next
  // take it to about 203 KB. Printed for comparison; the budget is the Chromium figure below.
  test("prints the static figure for a page with the editor open on a .js file", () => {
    const entry = file("editor.");
    const files = closure([entry, lazyExporting("javascript")]);
    files.add(file("htmx.")).add(file("shell."));
    console.log(`editor on a .js file (static closure, gzip -9): ${kb(sum(files))} (${files.size} files)`);
    expect(files.has(lazyExporting("IndexeddbPersistence"))).toBe(false);
    // The terminal (xterm) is loaded by URL when its panel opens: no page's closure holds it.
    expect([...closure([file("shell."), entry])].some((f) => f.startsWith("terminal."))).toBe(false);
  });

  // The Source control panel's side-by-side view and the assistant's Apply share one merge view.
  test("@codemirror/merge is in one lazy chunk, which the side-by-side view loads too", () => {
    const entry = file("editor.");
    const all = closure([entry], (f) => [...targets(f, STATIC), ...targets(f, DYNAMIC)]);
    const merge = [...all].filter((f) => read(f).toString().includes("cm-merge-a"));
    expect(merge).toEqual([lazyExporting("openApplyDialog")]);
    expect(lazyExporting("openCompareDialog")).toBe(lazyExporting("openApplyDialog"));
    expect(closure([entry]).has(merge[0]!)).toBe(false);
  });

  // 252 KB before live documents (250.7 KB). Yjs and its providers add about 40 KB; the terminal
  // (xterm and its fit addon, one module loaded when its panel opens) about 90 KB. 400 KB leaves
  // room without hiding growth.
  test("everything, with all languages, the merge view, the local copy and the terminal, stays within 400 KB", () => {
    const entry = file("editor.");
    const files = closure([entry], (f) => [...targets(f, STATIC), ...targets(f, DYNAMIC)]);
    for (const lazy of ["openApplyDialog", "IndexeddbPersistence"])
      expect(files.has(lazyExporting(lazy))).toBe(true);
    files.add(file("htmx.")).add(file("shell.")).add(file("terminal."));
    const total = sum(files);
    console.log(`everything: ${kb(total)} of 400 KB (${files.size} files)`);
    expect(total).toBeLessThanOrEqual(400 * KB);
  });
});

const unavailable = browserUnavailable();

/**
 * What a person waits for: the JavaScript Chromium downloads, compressed as the server sends it,
 * from opening a project on a .js file until the editor can be typed in (data-editor-ready), on
 * a first visit. Lazy pieces that load later (the IndexedDB copy, completion, search) are not
 * in it, and the test checks that the IndexedDB copy indeed comes after.
 */
describe.skipIf(Boolean(unavailable))("JavaScript before the editor is typeable, in Chromium", () => {
  test("a .js file's editor is typeable after at most 200 KB of JavaScript as served", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "aura-budget-fresh-"));
    const fresh = (await bundleEditor(scratch)).find((o) => o.name === "editor.js")?.file;
    rmSync(scratch, { recursive: true, force: true });
    if (!assetUrl("editor.js").endsWith(`/${fresh}`))
      throw new Error("public/assets is stale: run `bun run assets`");
    const t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m" });
    const server = listen(t);
    const browser = await launchBrowser();
    try {
      const user = await registerUser(t);
      const project = await api(t, user.auth).project({ name: "Budget", language: "javascript" });
      const page = await (await browser.newContext()).newPage();
      await signIn(page, server.url, user);
      const encodings = new Map<string, string>();
      page.on("response", (r) => encodings.set(r.url(), r.headers()["content-encoding"] ?? "identity"));
      await page.goto(`${server.url}/projects/${project.id}?file=index.js`);
      await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
      await Bun.sleep(1500); // the lazy pieces that follow
      const { typeableAt, scripts } = await page.evaluate(() => ({
        // Marked by the editor as it takes typing, on the page's own clock (a MutationObserver
        // runs after the task that set the attribute, by which time a fetch it started can be done).
        typeableAt:
          performance.getEntriesByName("aura:editor-ready")[0]?.startTime ?? Number.POSITIVE_INFINITY,
        scripts: performance
          .getEntriesByType("resource")
          .filter((e): e is PerformanceResourceTiming => e instanceof PerformanceResourceTiming)
          .filter((e) => new URL(e.name).pathname.endsWith(".js"))
          .map((e) => ({ url: e.name, bytes: e.encodedBodySize, end: e.responseEnd })),
      }));
      const before = scripts.filter((s) => s.end <= typeableAt);
      const after = scripts.filter((s) => s.end > typeableAt);
      for (const s of scripts)
        console.log(
          `  ${new URL(s.url).pathname.padEnd(32)} ${kb(s.bytes).padStart(9)} ${(encodings.get(s.url) ?? "?").padEnd(8)} ${s.end <= typeableAt ? "before" : "after"}`,
        );
      const total = before.reduce((n, s) => n + s.bytes, 0);
      console.log(`before typeable: ${kb(total)} of 200 KB as served (${before.length} files)`);
      expect(total).toBeLessThanOrEqual(200 * KB);
      // The IndexedDB copy is not waited for: its chunk comes after the editor is typeable.
      const served = (url: string) =>
        readFileSync(
          join(import.meta.dir, "../../public/assets", new URL(url).pathname.split("/").pop() ?? ""),
        );
      const idb = after.filter((s) => served(s.url).includes("IndexeddbPersistence"));
      expect(idb.length).toBeGreaterThan(0);
    } finally {
      await browser.close();
      await server.stop();
      await t.close();
    }
  }, 120_000);
});
