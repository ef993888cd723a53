import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`IDE browser tests skipped: ${unavailable}`);

// A dropped network makes Chromium log the failed requests and socket; nothing else may reach the console.
const EXPECTED = /net::ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/;

describe.skipIf(Boolean(unavailable))("the IDE in a real browser, against the real app", () => {
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

  /** A signed-in browser context (signed in through the login form) and a fresh project. */
  async function session(viewport = { width: 1200, height: 720 }) {
    const context = await browser.newContext({ viewport, colorScheme: "dark" });
    const page = await context.newPage();
    const problems = watch(page);
    await signIn(page, server.url, user);
    const project = await client.project({
      name: `Demo ${crypto.randomUUID().slice(0, 4)}`,
      language: "javascript",
    });
    return { context, page, project, problems };
  }
  const watch = (page: Page) => {
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    return problems;
  };
  const ready = (page: Page) => page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
  const saved = (page: Page) =>
    page.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved", null, {
      timeout: 10_000,
    });
  const typeAtEnd = async (page: Page, text: string) => {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(text);
  };
  const fileContent = async (projectId: string, path: string) =>
    ((await (await client.get(`/api/v1/projects/${projectId}/files/${path}`)).json()) as { content: string })
      .content;
  /** The stored file once `check` holds (the server writes it shortly after storing an edit), or as it is after 3 s. */
  const storedSoon = async (projectId: string, path: string, check: (content: string) => boolean) => {
    const until = Date.now() + 3000;
    let content = await fileContent(projectId, path);
    while (!check(content) && Date.now() < until) {
      await Bun.sleep(50);
      content = await fileContent(projectId, path);
    }
    return content;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`) });
  const done = async (context: BrowserContext, problems: string[]) => {
    await context.close();
    expect(problems).toEqual([]);
  };

  test("opens the entry file, stores an edit as it is typed, and a reload shows it", async () => {
    const { context, page, project, problems } = await session();
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    expect(await page.locator("[data-editor]").getAttribute("data-path")).toBe("index.js");
    expect(await page.locator("[data-status-language]").textContent()).toBe("JavaScript");
    await typeAtEnd(page, "\n// typed in the browser");
    await saved(page);
    const typed = (c: string) => c.endsWith("// typed in the browser");
    expect(await storedSoon(project.id, "index.js", typed)).toEndWith("// typed in the browser");
    await page.reload();
    await ready(page);
    expect(await page.locator(".cm-content").textContent()).toContain("// typed in the browser");
    await shot(page, "ide-desktop");

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 800 });
    await phone.goto(`${server.url}/projects/${project.id}`);
    await ready(phone);
    expect(await phone.locator("#sidebar").isVisible()).toBe(false);
    await shot(phone, "ide-phone");
    await phone.click('button[commandfor="sidebar"]');
    await phone.waitForSelector("#sidebar:popover-open");
    await shot(phone, "ide-phone-files");
    await phone.click('[role="treeitem"][data-path="README.md"] a');
    await phone.waitForSelector('[data-editor][data-path="README.md"][data-editor-ready=true]');
    expect(phone.url()).toContain("?file=README.md");
    expect(await phone.locator("#sidebar").isVisible()).toBe(false);
    await done(context, problems);
  }, 60_000);

  test("two tabs edit one file at once: both edits land in both, and nothing asks which to keep", async () => {
    const { context, page, project, problems } = await session();
    const url = `${server.url}/projects/${project.id}`;
    const other = await context.newPage();
    problems.push(...watch(other));
    await page.goto(url);
    await other.goto(url);
    await ready(page);
    await ready(other);
    await typeAtEnd(page, "\n// first tab");
    await typeAtEnd(other, "\n// second tab");
    await saved(page);
    await saved(other);
    const both = (c: string) => c.includes("// first tab") && c.includes("// second tab");
    expect(both(await storedSoon(project.id, "index.js", both))).toBe(true);
    for (const p of [page, other])
      await p.waitForFunction(
        () =>
          document.querySelector(".cm-content")?.textContent?.includes("// first tab") &&
          document.querySelector(".cm-content")?.textContent?.includes("// second tab"),
      );
    expect(await other.locator("dialog[open]").count()).toBe(0);
    await other.setViewportSize({ width: 390, height: 800 });
    await shot(other, "ide-two-tabs-phone");
    await done(context, problems);
  }, 60_000);

  test("an offline edit is kept and saved on reconnect", async () => {
    const { context, page, project, problems } = await session();
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    await context.setOffline(true);
    await typeAtEnd(page, "\n// written offline");
    await page.waitForFunction(
      () => document.querySelector("[data-status-save]")?.textContent?.startsWith("Offline"),
      null,
      { timeout: 10_000 },
    );
    await context.setOffline(false);
    await saved(page);
    const written = (c: string) => c.endsWith("// written offline");
    expect(await storedSoon(project.id, "index.js", written)).toEndWith("// written offline");
    await done(context, problems);
  }, 60_000);

  test("a reload while offline still opens the editor, with the unsaved edit intact", async () => {
    const { context, page, project, problems } = await session();
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    // The service worker installs on the first visit; from the next load on it keeps the page.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await ready(page);
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await context.setOffline(true);
    await typeAtEnd(page, "\n// kept across an offline reload");
    await page.waitForFunction(
      () => document.querySelector("[data-status-save]")?.textContent?.startsWith("Offline"),
      null,
      { timeout: 10_000 },
    );
    await page.reload();
    await ready(page);
    expect(await page.locator(".cm-content").textContent()).toContain("// kept across an offline reload");
    await shot(page, "ide-offline-reload");
    await context.setOffline(false);
    await saved(page);
    const kept = (c: string) => c.includes("// kept across an offline reload");
    expect(await storedSoon(project.id, "index.js", kept)).toContain("// kept across an offline reload");
    await done(context, problems);
  }, 60_000);

  test("deletes a file from the tree after confirming", async () => {
    const { context, page, project, problems } = await session();
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    const row = page.locator('[role="treeitem"][data-path="README.md"]');
    await row.hover();
    await row.locator('button[commandfor="delete-dialog"]').click();
    await page.waitForSelector("#delete-dialog[open]");
    expect(await page.locator("#delete-dialog [data-path-text]").textContent()).toBe("README.md");
    await page.click('#delete-dialog button[type="submit"]');
    await page.waitForSelector('[role="treeitem"][data-path="README.md"]', { state: "detached" });
    await page.waitForSelector('#toasts [data-toast="success"]');
    expect(await page.locator("#delete-dialog").getAttribute("open")).toBeNull();
    expect((await client.get(`/api/v1/projects/${project.id}/files/README.md`)).status).toBe(404);
    await done(context, problems);
  }, 60_000);

  test("the tree works from the keyboard alone", async () => {
    const { context, page, project, problems } = await session();
    await client.put(`/api/v1/projects/${project.id}/files/src/util.js`, {
      content: "export const x = 1;\n",
    });
    await page.goto(`${server.url}/projects/${project.id}`);
    await ready(page);
    await page.focus('[role="tree"] [tabindex="0"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-path"))).toBe("index.js");
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute("data-path"));
    await page.keyboard.press("Home");
    expect(await focused()).toBe("src");
    await page.keyboard.press("ArrowLeft"); // collapse
    expect(await page.locator('[role="treeitem"][data-path="src"]').getAttribute("aria-expanded")).toBe(
      "false",
    );
    await page.keyboard.press("ArrowDown");
    expect(await focused()).not.toBe("src/util.js");
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight"); // expand
    await page.keyboard.press("ArrowRight"); // into the folder
    expect(await focused()).toBe("src/util.js");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-editor][data-path="src/util.js"][data-editor-ready=true]');
    expect(page.url()).toContain("?file=src%2Futil.js");
    expect(
      await page.locator('[role="treeitem"][data-path="src/util.js"]').getAttribute("aria-selected"),
    ).toBe("true");
    await page.focus('[role="tree"] [tabindex="0"]');
    await page.keyboard.press("F2");
    await page.waitForSelector("#rename-dialog[open]");
    expect(await page.inputValue('#rename-dialog input[name="to"]')).toBe("src/util.js");
    await page.keyboard.press("Escape");
    await done(context, problems);
  }, 60_000);
});
