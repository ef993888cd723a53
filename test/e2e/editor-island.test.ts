import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { bundleEditor } from "../../scripts/build-assets.ts";
import { assetUrl } from "../../src/assets.ts";
import { browserUnavailable, launchBrowser, screenshotDir } from "../helpers/browser.ts";
import { type IslandFixture, startIslandFixture } from "../helpers/island-fixture.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`editor island browser tests skipped: ${unavailable}`);

const SOURCE = `// A small module\nexport function greet(name) {\n  return \`Hello, \${name}!\`;\n}\n\nconst answer = 42;\nconsole.log(greet("Aura"), answer);\n`;

// A 409 and a dropped network make Chromium log the failed request; nothing else may reach the console.
const EXPECTED =
  /Failed to load resource: (the server responded with a status of 409|net::ERR_INTERNET_DISCONNECTED)/;

describe.skipIf(Boolean(unavailable))("the editor island in a real browser", () => {
  let fixture: IslandFixture;
  let browser: Browser;
  let n = 0;

  beforeAll(async () => {
    // The fixture serves the manifest this process already loaded; refuse to test a stale bundle.
    const scratch = mkdtempSync(join(tmpdir(), "aura-island-"));
    const fresh = (await bundleEditor(scratch)).find((o) => o.name === "editor.js")?.file;
    rmSync(scratch, { recursive: true, force: true });
    if (!assetUrl("editor.js").endsWith(`/${fresh}`))
      throw new Error("public/assets is stale: run `bun run assets`");
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.stop();
  });

  /** A fresh file, a fresh context (own IndexedDB) and a page with the editor mounted on it. */
  async function open(colorScheme: "dark" | "light" = "dark") {
    await fixture?.stop();
    const path = `src/app-${++n}.js`;
    fixture = startIslandFixture({ [path]: SOURCE });
    const context = await browser.newContext({ viewport: { width: 1100, height: 640 }, colorScheme });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    const url = `${fixture.url}/projects/p1/files/${path}`;
    await page.goto(url);
    await ready(page);
    return { context, page, path, problems, url };
  }

  const ready = (page: Page) => page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
  const status = (page: Page) => page.locator("[data-status-save]");
  const typeAtEnd = async (page: Page, text: string) => {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(text);
  };
  const waitFor = async (check: () => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (!check()) {
      if (Date.now() > until) throw new Error("timed out waiting");
      await Bun.sleep(25);
    }
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`) });
  const close = async (context: BrowserContext, problems: string[]) => {
    await context.close();
    expect(problems).toEqual([]);
  };

  test("mounts, highlights JavaScript and follows the colour scheme", async () => {
    for (const scheme of ["dark", "light"] as const) {
      const { context, page, problems } = await open(scheme);
      expect(await page.locator("[data-status-language]").textContent()).toBe("JavaScript");
      expect(await page.locator("[data-status-cursor]").textContent()).toBe("Ln 1, Col 1");
      // Highlighted tokens are spans with generated classes inside the lines.
      await page.waitForSelector(".cm-line span[class]");
      const colours = await page.$$eval(
        ".cm-line span[class]",
        (spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size,
      );
      expect(colours).toBeGreaterThan(2);
      const background = await page
        .locator(".cm-editor")
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(scheme === "dark" ? "rgb(40, 44, 52)" : "rgb(255, 255, 255)");
      await page.locator(".cm-content").click();
      await page.keyboard.press("Control+End");
      await shot(page, `editor-${scheme}`);
      await close(context, problems);
    }
  }, 30_000);

  test("autosaves once after typing stops, with baseVersion, then says Saved", async () => {
    const { context, page, path, problems } = await open();
    await typeAtEnd(page, "// edited");
    expect(await status(page).textContent()).toBe("Unsaved changes");
    await waitFor(() => fixture.saves.length === 1);
    await page.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved");
    await Bun.sleep(1000);
    expect(fixture.saves).toHaveLength(1);
    expect(fixture.saves[0]).toMatchObject({ path, baseVersion: 1, status: 200 });
    expect(fixture.files.get(path)?.content).toBe(`${SOURCE}// edited`);
    expect(await page.locator("[data-editor]").getAttribute("data-version")).toBe("2");
    await close(context, problems);
  }, 30_000);

  test("Ctrl-S saves at once, and the next save is based on the adopted version", async () => {
    const { context, page, path, problems } = await open();
    await typeAtEnd(page, "1");
    const pressed = Date.now();
    await page.keyboard.press("Control+s");
    await waitFor(() => fixture.saves.length === 1);
    expect(fixture.saves[0]!.at - pressed).toBeLessThan(500);
    await typeAtEnd(page, "2");
    await page.keyboard.press("Control+s");
    await waitFor(() => fixture.saves.length === 2);
    expect(fixture.saves.map((s) => s.baseVersion)).toEqual([1, 2]);
    expect(fixture.files.get(path)?.version).toBe(3);
    await close(context, problems);
  }, 30_000);

  test("a stale version opens the conflict dialog; Keep mine saves on the new version", async () => {
    const { context, page, path, problems } = await open();
    fixture.files.set(path, { content: SOURCE.replace("42", "43"), version: 2 }); // saved in another tab
    await typeAtEnd(page, "// mine");
    const dialog = page.locator("dialog[open]");
    await dialog.waitFor();
    expect(await dialog.locator(".cm-mergeView").count()).toBe(1);
    expect(await status(page).textContent()).toBe("Conflict");
    expect(fixture.saves.map((s) => s.status)).toEqual([409]);
    expect(fixture.files.get(path)?.content).toBe(SOURCE.replace("42", "43")); // nothing overwritten
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Save merged");
    await shot(page, "editor-conflict");
    await dialog.getByRole("button", { name: "Keep mine" }).click();
    await waitFor(() => fixture.saves.length === 2);
    expect(fixture.saves[1]).toMatchObject({ baseVersion: 2, status: 200, content: `${SOURCE}// mine` });
    await page.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved");
    expect(await page.locator("dialog").count()).toBe(0);
    await close(context, problems);
  }, 30_000);

  test("Escape closes the conflict dialog without saving anything", async () => {
    const { context, page, path, problems } = await open();
    fixture.files.set(path, { content: "theirs\n", version: 5 });
    await typeAtEnd(page, "x");
    await page.locator("dialog[open]").waitFor();
    await page.keyboard.press("Escape");
    await page.locator("dialog").waitFor({ state: "detached" });
    await Bun.sleep(1200);
    expect(fixture.saves).toHaveLength(1);
    expect(fixture.files.get(path)?.content).toBe("theirs\n");
    expect(await status(page).textContent()).toBe("Conflict");
    await close(context, problems);
  }, 30_000);

  test("offline edits are kept in IndexedDB and sent when the network returns", async () => {
    const { context, page, path, problems } = await open();
    await context.setOffline(true);
    await typeAtEnd(page, "// offline");
    await page.waitForFunction(
      () => document.querySelector("[data-status-save]")?.textContent === "Offline — 1 unsaved",
    );
    expect(fixture.saves).toHaveLength(0);
    const kept = await page.evaluate(readStash);
    expect(kept).toMatchObject([{ path, baseVersion: 1, content: `${SOURCE}// offline` }]);
    await context.setOffline(false);
    await page.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved");
    expect(fixture.saves).toMatchObject([{ baseVersion: 1, status: 200 }]);
    expect(await page.evaluate(readStash)).toEqual([]);
    await close(context, problems);
  }, 30_000);

  test("an edit made offline is restored and saved when the file is opened again", async () => {
    const { context, page, path, problems, url } = await open();
    await context.setOffline(true);
    await typeAtEnd(page, "// kept");
    await page.waitForFunction(
      () => document.querySelector("[data-status-save]")?.textContent === "Offline — 1 unsaved",
    );
    await page.close();
    await context.setOffline(false);
    const again = await context.newPage();
    again.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    await again.goto(url);
    await ready(again);
    expect(await again.locator(".cm-content").textContent()).toContain("// kept");
    await again.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved");
    expect(fixture.files.get(path)?.content).toBe(`${SOURCE}// kept`);
    expect(fixture.saves).toMatchObject([{ baseVersion: 1, status: 200 }]);
    await close(context, problems);
  }, 30_000);
});

// Runs in the page: every edit the island keeps for later.
function readStash(): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("aura-editor");
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const all = request.result.transaction("unsaved").objectStore("unsaved").getAll();
      all.onsuccess = () => resolve(all.result);
      all.onerror = () => reject(all.error);
    };
  });
}
