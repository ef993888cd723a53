import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { bundleEditor } from "../../scripts/build-assets.ts";
import { assetUrl } from "../../src/assets.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`editor island browser tests skipped: ${unavailable}`);

const SOURCE = `// A small module\nexport function greet(name) {\n  return \`Hello, \${name}!\`;\n}\n\nconst answer = 42;\nconsole.log(greet("Aura"), answer);\n`;

// A dropped network makes Chromium log the failed socket; nothing else may reach the console.
const EXPECTED = /net::ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/;

describe.skipIf(Boolean(unavailable))("the editor island in a real browser, against the real app", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let client: ReturnType<typeof api>;
  let n = 0;

  beforeAll(async () => {
    // The server serves the manifest this process already loaded; refuse to test a stale bundle.
    const scratch = mkdtempSync(join(tmpdir(), "aura-island-"));
    const fresh = (await bundleEditor(scratch)).find((o) => o.name === "editor.js")?.file;
    rmSync(scratch, { recursive: true, force: true });
    if (!assetUrl("editor.js").endsWith(`/${fresh}`))
      throw new Error("public/assets is stale: run `bun run assets`");
    t = await createTestApp({
      RATE_LIMIT_EDITOR: "100000/15m",
      RATE_LIMIT_API: "100000/15m",
      RATE_LIMIT_LOGIN: "1000/15m",
      RATE_LIMIT_LOGIN_IP: "1000/15m",
    });
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t, { firstName: "Ada", lastName: "Lovelace" });
    client = api(t, user.auth);
    console.log(`screenshots: ${screenshotDir()}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  /** A fresh project with `src/app-N.js`, a signed-in context (own storage) and a page on that file. */
  async function open(colorScheme: "dark" | "light" = "dark") {
    const project = await client.project({ name: `Island ${++n}` });
    const path = `src/app-${n}.js`;
    const put = await client.put(`/api/v1/projects/${project.id}/files/${path}`, { content: SOURCE });
    if (put.status >= 300) throw new Error(`create ${path}: ${put.status} ${await put.text()}`);
    const context = await browser.newContext({ viewport: { width: 1100, height: 640 }, colorScheme });
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, server.url, user);
    const url = `${server.url}/projects/${project.id}?file=${encodeURIComponent(path)}`;
    await page.goto(url);
    await ready(page);
    return { context, page, path, problems, url, projectId: project.id };
  }
  const watch = (page: Page) => {
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    return problems;
  };

  const ready = (page: Page) => page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
  const status = (page: Page) => page.locator("[data-status-save]");
  const statusIs = (page: Page, text: string) =>
    page.waitForFunction((want) => document.querySelector("[data-status-save]")?.textContent === want, text, {
      timeout: 10_000,
    });
  const typeAtEnd = async (page: Page, text: string) => {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(text);
  };
  const stored = async (projectId: string, path: string) =>
    ((await (await client.get(`/api/v1/projects/${projectId}/files/${path}`)).json()) as { content: string })
      .content;
  /** Poll the stored file: the server writes it shortly after it stored the edit. */
  const storedSoon = async (projectId: string, path: string, want: string) => {
    const until = Date.now() + 3000;
    while ((await stored(projectId, path)) !== want) {
      if (Date.now() > until) expect(await stored(projectId, path)).toBe(want);
      await Bun.sleep(50);
    }
  };
  /** The journal this browser keeps for the open file (its localStorage entries), or null. */
  const journal = (page: Page) =>
    page.evaluate(() => {
      const name = `aura:journal:${document.querySelector<HTMLElement>("[data-editor]")?.dataset.docId}`;
      const keys = Object.keys(localStorage).filter((k) => k.startsWith(`${name}:`));
      return keys.length > 0 ? keys.map((k) => localStorage.getItem(k)).join() : null;
    });
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
      expect(await status(page).textContent()).toBe("Saved");
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
      // The shell's own colours (app.css --editor-bg): white, or ink-900 in the dark.
      expect(background).toBe(scheme === "dark" ? "rgb(15, 17, 23)" : "rgb(255, 255, 255)");
      await page.locator(".cm-content").click();
      await page.keyboard.press("Control+End");
      await shot(page, `editor-${scheme}`);
      await close(context, problems);
    }
  }, 60_000);

  test("an edit is stored as it is typed: Saving…, then Saved once the server has it; Ctrl-S only says so", async () => {
    const { context, page, path, problems, projectId } = await open();
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as { seen?: string[] }).seen = seen;
      const slot = document.querySelector("[data-status-save]")!;
      new MutationObserver(() => seen.push(slot.textContent ?? "")).observe(slot, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await typeAtEnd(page, "// edited");
    await statusIs(page, "Saved");
    const seen = await page.evaluate(() => (window as { seen?: string[] }).seen ?? []);
    expect(seen).toContain("Saving…");
    expect(seen.at(-1)).toBe("Saved");
    expect(await journal(page)).toBeNull();
    await storedSoon(projectId, path, `${SOURCE}// edited`);
    // Ctrl-S saves nothing more (there is nothing unsaved) and keeps the browser's dialog away.
    const downloads: string[] = [];
    page.on("download", (d) => downloads.push(d.suggestedFilename()));
    await page.keyboard.press("Control+s");
    await Bun.sleep(200);
    expect(downloads).toEqual([]);
    expect(await status(page).textContent()).toBe("Saved");
    await close(context, problems);
  }, 60_000);

  test("offline edits are journaled and copied to IndexedDB, and sent when the network returns", async () => {
    const { context, page, path, problems, projectId } = await open();
    const docId = await page.locator("[data-editor]").getAttribute("data-doc-id");
    await context.setOffline(true);
    await typeAtEnd(page, "// offline");
    await statusIs(page, "Offline — kept in this browser");
    expect(await journal(page)).toBeTruthy();
    // The full local copy (y-indexeddb) loads after the editor is ready, keyed by the document.
    const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
    expect(databases).toContain(`aura:${docId}`);
    expect(await stored(projectId, path)).toBe(SOURCE);
    await shot(page, "editor-offline");
    await context.setOffline(false);
    await statusIs(page, "Saved");
    expect(await journal(page)).toBeNull();
    await storedSoon(projectId, path, `${SOURCE}// offline`);
    await page.waitForSelector('#toasts [data-toast="success"]');
    await close(context, problems);
  }, 60_000);

  test("an edit made offline is restored and sent when the file is opened again", async () => {
    const { context, page, path, problems, url, projectId } = await open();
    await context.setOffline(true);
    await typeAtEnd(page, "// kept");
    await statusIs(page, "Offline — kept in this browser");
    await page.close();
    await context.setOffline(false);
    const again = await context.newPage();
    problems.push(...watch(again));
    await again.goto(url);
    await ready(again);
    expect(await again.locator(".cm-content").textContent()).toContain("// kept");
    await statusIs(again, "Saved");
    await storedSoon(projectId, path, `${SOURCE}// kept`);
    await close(context, problems);
  }, 60_000);

  test("Apply lands as the smallest edit, on top of what someone else typed while the dialog was open", async () => {
    const { context, page, path, problems, url, projectId } = await open("light");
    const other = await context.newPage();
    problems.push(...watch(other));
    await other.goto(url);
    await ready(other);
    const suggested = SOURCE.replace("const answer = 42;", "const answer = 43;");
    await page.evaluate(
      (code) =>
        document
          .querySelector("[data-editor]")
          ?.dispatchEvent(new CustomEvent("aura:apply", { detail: { code } })),
      suggested,
    );
    const dialog = page.locator("dialog.aura-apply[open]");
    await dialog.waitFor();
    expect(await dialog.locator(".cm-mergeView").count()).toBe(1);
    await shot(page, "editor-apply");
    // Meanwhile, the other tab adds a line at the top.
    await other.locator(".cm-content").click();
    await other.keyboard.press("Control+Home");
    await other.keyboard.type("// on top\n");
    await page.waitForFunction(() =>
      document.querySelector(".cm-content")?.textContent?.includes("// on top"),
    );
    await dialog.getByRole("button", { name: "Apply" }).click();
    const merged = `// on top\n${suggested}`;
    await storedSoon(projectId, path, merged);
    await other.waitForFunction(() =>
      document.querySelector(".cm-content")?.textContent?.includes("answer = 43"),
    );
    // An ordinary edit of yours: Ctrl-Z takes it back, and only it.
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+z");
    await storedSoon(projectId, path, `// on top\n${SOURCE}`);
    await close(context, problems);
  }, 60_000);
});
