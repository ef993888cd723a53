import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`rough-edge browser tests skipped: ${unavailable}`);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1200, height: 760 };
// Answers the tests provoke on purpose (a refused path, a file too large) are logged by Chromium.
const EXPECTED = /Failed to load resource: the server responded with a status of (400|413|422)/;

describe.skipIf(Boolean(unavailable))("rough edges a new user meets, in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let client: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m", RATE_LIMIT_API: "100000/15m" });
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t);
    client = api(t, user.auth);
    console.log(`screenshots: ${screenshotDir()}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  /** A signed-in context in the given viewport and colour scheme, and a fresh project. */
  async function session(
    viewport = DESKTOP,
    colorScheme: "light" | "dark" = "light",
    name = `Journal of small things ${crypto.randomUUID().slice(0, 4)}`,
  ) {
    const context = await browser.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, server.url, user);
    const project = await client.project({ name, language: "javascript" });
    return { context, page, project, problems };
  }
  const ready = (page: Page) => page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`) });
  const done = async (context: BrowserContext, problems: string[]) => {
    await context.close();
    expect(problems).toEqual([]);
  };
  /** The elements of `selector` (and their descendants) that reach past the viewport's right edge. */
  const overflowing = (page: Page, selector: string) =>
    page.evaluate((sel) => {
      const out: string[] = [];
      for (const el of document.querySelectorAll(`${sel}, ${sel} *`)) {
        const box = el.getBoundingClientRect();
        if (box.width && box.right > window.innerWidth + 0.5) out.push(`${el.tagName} ${el.textContent}`);
      }
      return out;
    }, selector);

  test("on a phone the headers fit the screen and Search is reachable", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const { context, page, project, problems } = await session(PHONE, scheme);
      await page.goto(`${server.url}/projects`);
      expect(await overflowing(page, "header")).toEqual([]);
      expect(await page.getByRole("link", { name: "Aura" }).textContent()).toBe("Aura");
      expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
      await shot(page, `rough-dashboard-phone-${scheme}`);

      await page.goto(`${server.url}/projects/${project.id}`);
      await ready(page);
      expect(await overflowing(page, "header")).toEqual([]);
      await shot(page, `rough-editor-phone-${scheme}`);
      // A long name may end in "…", but a dozen characters of it show, not one.
      const title = await page.locator("header h1").boundingBox();
      expect(title?.width ?? 0).toBeGreaterThan(96);
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForSelector("#panel input");
      await shot(page, `rough-search-phone-${scheme}`);
      await done(context, problems);
    }
  }, 90_000);

  test("a refused path keeps the New file and Rename dialogs open, with the reason under the field", async () => {
    const { context, page, project, problems } = await session(DESKTOP, "dark");
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    await page.getByRole("button", { name: "New…" }).click();
    const create = page.locator("#create-dialog");
    await create.locator('input[name="path"]').fill("src/../secret.js");
    await create.getByRole("button", { name: "Create" }).click();
    const reason = create.locator("[data-field-error]");
    await reason.waitFor();
    expect(await reason.textContent()).toBe("The path must not contain . or .. segments");
    expect(await create.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect(await create.locator('input[name="path"]').inputValue()).toBe("src/../secret.js");
    expect(await create.locator('input[name="path"]').getAttribute("aria-invalid")).toBe("true");
    await shot(page, "rough-create-refused-dark");
    // Correcting it clears the reason and creates the file.
    await create.locator('input[name="path"]').fill("src/secret.js");
    expect(await reason.isVisible()).toBe(false);
    await create.getByRole("button", { name: "Create" }).click();
    await page.waitForSelector('[data-editor][data-path="src/secret.js"][data-editor-ready=true]');
    expect(await create.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);

    const row = page.locator('[role="treeitem"][data-path="README.md"]');
    await row.hover();
    await row.locator('button[commandfor="rename-dialog"]').click();
    const rename = page.locator("#rename-dialog");
    await rename.locator('input[name="to"]').fill("/README.md");
    await rename.getByRole("button", { name: "Rename" }).click();
    await rename.locator("[data-field-error]").waitFor();
    expect(await rename.locator("[data-field-error]").textContent()).toBe(
      "The path must be relative (no leading /)",
    );
    expect(await rename.locator('input[name="to"]').inputValue()).toBe("/README.md");
    await page.setViewportSize(PHONE);
    await shot(page, "rough-rename-refused-phone-dark");
    await done(context, problems);
  }, 60_000);

  test("open tabs survive a reload, per project", async () => {
    const { context, page, project, problems } = await session();
    await client.put(`/api/v1/projects/${project.id}/files/notes.txt`, { content: "notes\n" });
    const other = await client.project({ name: "Other", language: "javascript" });
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    const openFromTree = async (path: string) => {
      await page.click(`[role="treeitem"][data-path="${path}"] a`);
      await page.waitForSelector(`[data-editor][data-path="${path}"][data-editor-ready=true]`);
    };
    await openFromTree("README.md");
    await openFromTree("notes.txt");
    await openFromTree("README.md");
    const strip = () => page.locator("#editor-area li a").allTextContents();
    expect(await strip()).toEqual(["index.js", "README.md", "notes.txt"]);
    await page.reload();
    await ready(page);
    expect(await strip()).toEqual(["index.js", "README.md", "notes.txt"]);
    expect(await page.locator("[data-editor]").getAttribute("data-path")).toBe("README.md");
    // Without ?file= the project opens where it was left.
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    expect(await page.locator("[data-editor]").getAttribute("data-path")).toBe("README.md");
    expect(await strip()).toEqual(["index.js", "README.md", "notes.txt"]);
    // Closing a tab is kept too.
    await page.getByRole("button", { name: "Close notes.txt" }).click();
    await page.waitForFunction(() => document.querySelectorAll("#editor-area li").length === 2);
    await page.reload();
    await ready(page);
    expect(await strip()).toEqual(["index.js", "README.md"]);
    // Another project keeps its own.
    await page.goto(`${server.url}/projects/${other.id}`);
    await ready(page);
    expect(await strip()).toEqual(["index.js"]);
    await shot(page, "rough-tabs-kept");
    await done(context, problems);
  }, 60_000);

  test("Escape closes History and Search, findings are counted in words, the AI-off command wraps and copies, Escape then Tab leaves the editor", async () => {
    const { context, page, project, problems } = await session(PHONE, "dark");
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    const panelOpen = () => page.evaluate(() => Boolean(document.querySelector("#panel")?.children.length));

    await page.getByRole("button", { name: "History" }).click();
    await page.waitForSelector("#panel [data-panel-close]");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("#panel")?.children.length);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForSelector("#panel [data-search-q]");
    await page.focus("#panel [data-search-q]");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("#panel")?.children.length);
    expect(await panelOpen()).toBe(false);

    for (const count of [1, 3]) {
      await page.evaluate(
        (n) =>
          document.dispatchEvent(
            new CustomEvent("aura:analyzed", { detail: { summary: "Done.", count: n } }),
          ),
        count,
      );
    }
    const toasts = await page.locator("#toasts [data-toast]").allTextContents();
    expect(toasts).toContain("Done. 1 finding is marked in the editor.");
    expect(toasts).toContain("Done. 3 findings are marked in the editor.");

    await page.getByRole("button", { name: "Assistant" }).click();
    const command = page.locator("[data-ai-off] pre");
    await command.waitFor();
    expect(await command.evaluate((pre) => pre.scrollWidth <= pre.clientWidth)).toBe(true);
    expect(await command.evaluate((pre) => pre.getBoundingClientRect().right <= window.innerWidth)).toBe(
      true,
    );
    await shot(page, "rough-ai-off-phone-dark");
    await page.locator("[data-ai-off]").getByRole("button", { name: "Copy" }).click();
    await page.locator("#toasts", { hasText: "Copied" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toStartWith("AI_BASE_URL=http://localhost:11434/v1");
    expect(copied).toEndWith("bun run start");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.querySelector("#panel")?.children.length);

    // Tab indents inside the editor; Escape and then Tab moves on without touching the file.
    const before = await page.locator(".cm-content").textContent();
    await page.locator(".cm-content").click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    const inEditor = await page.evaluate(() => Boolean(document.activeElement?.closest(".cm-editor")));
    expect(inEditor).toBe(false);
    expect(await page.locator(".cm-content").textContent()).toBe(before);
    await done(context, problems);
  }, 60_000);

  test("the landing page's status link shows a page for people, not a bare ok", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport: PHONE, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole("link", { name: "status" }).click();
      await page.waitForURL(`${server.url}/status`);
      await page.getByRole("heading", { name: "Aura is up" }).waitFor();
      const database = page.locator("li", { hasText: "Database" });
      expect(await database.getByText("Working", { exact: true }).isVisible()).toBe(true);
      expect(
        await page.locator("li", { hasText: "AI assistant" }).getByText("Off", { exact: true }).isVisible(),
      ).toBe(true);
      expect(await overflowing(page, "main")).toEqual([]);
      await shot(page, `rough-status-phone-${scheme}`);
      await context.close();
    }
  }, 60_000);

  test("the editor and the shell share one palette in light and dark", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const { context, page, project, problems } = await session(DESKTOP, scheme);
      // The server's static copy of the editor and the island draw the same colours.
      await page.route("**/editor*.js", (route) => route.abort());
      await page.goto(`${server.url}/projects/${project.id}`);
      const colours = (selector: string) =>
        page.evaluate((sel) => {
          const bg = (q: string) => getComputedStyle(document.querySelector(q) as Element).backgroundColor;
          return { body: bg("body"), editor: bg(`${sel}`), gutter: bg(`${sel} .cm-gutters`) };
        }, selector);
      const first = await colours(".cm-static");
      await page.unroute("**/editor*.js");
      // Only the island's script, held back on purpose, may have failed to load.
      const held = problems.filter((p) => p !== "Failed to load resource: net::ERR_FAILED");
      problems.splice(0, problems.length, ...held);
      await page.reload();
      await ready(page);
      const island = await colours(".cm-editor");
      expect(island.editor).toBe(island.body);
      expect(island).toEqual(first);
      if (scheme === "dark") expect(island.gutter).toBe(island.body);
      await shot(page, `rough-palette-desktop-${scheme}`);
      await page.setViewportSize(PHONE);
      await shot(page, `rough-palette-phone-${scheme}`);
      await done(context, problems);
    }
  }, 90_000);

  test("pasting 2 MB says so in a toast, and after a reload the local copy can be discarded", async () => {
    const { context, page, project, problems } = await session(DESKTOP, "dark");
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    const paste = (text: string) =>
      page.evaluate((t) => {
        const content = document.querySelector(".cm-content") as HTMLElement;
        content.focus();
        const data = new DataTransfer();
        data.setData("text/plain", t);
        content.dispatchEvent(
          new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
        );
      }, text);
    await paste(`${"// far too much\n".repeat(131_072)}`);
    const tooLarge = page.locator('#toasts [data-toast="error"]', { hasText: "1 MiB" });
    await tooLarge.waitFor({ timeout: 15_000 });
    await shot(page, "rough-too-large-toast-dark");

    await page.reload();
    await ready(page);
    await tooLarge.waitFor({ timeout: 15_000 });
    const discard = tooLarge.getByRole("button", { name: "Discard the local copy" });
    await page.setViewportSize(PHONE);
    await shot(page, "rough-too-large-after-reload-phone-dark");
    await discard.click();
    await page.waitForLoadState("load");
    await ready(page);
    await page.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved");
    const text = await page.locator(".cm-content").textContent();
    expect(text).toContain("function greet(name)");
    expect(text).not.toContain("far too much");
    expect(await page.locator('#toasts [data-toast="error"]').count()).toBe(0);
    const kept = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("aura:journal:")),
    );
    expect(kept).toEqual([]);
    await done(context, problems);
  }, 90_000);
});
