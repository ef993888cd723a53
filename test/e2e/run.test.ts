import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable() ?? sandboxSkipReason();
if (unavailable) console.warn(`Run browser tests skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("Run on the project page, in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let client: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m" });
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

  async function openProject(language: "javascript" | "python", colorScheme: "dark" | "light" = "dark") {
    const context = await browser.newContext({ viewport: { width: 1200, height: 720 }, colorScheme });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, server.url, user);
    const project = await client.project({ name: `Run ${crypto.randomUUID().slice(0, 4)}`, language });
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
    return { context, page, project, problems };
  }
  const replaceText = async (page: Page, text: string) => {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    // Typed as one insertion: CodeMirror would auto-indent and close brackets keystroke by keystroke.
    await page.keyboard.insertText(text);
  };
  const status = (page: Page) => page.locator("[data-run-status]").textContent();
  const finished = (page: Page) =>
    page.waitForFunction(
      () => (document.querySelector("[data-run-status]") as HTMLElement | null)?.dataset.state !== "running",
      null,
      { timeout: 15_000 },
    );

  test("Run streams stdout and stderr (set apart) and shows the exit code and time", async () => {
    const { context, page, problems } = await openProject("python");
    expect(await page.locator("#output").isHidden()).toBe(true);
    // Unsaved text runs as it is in the editor.
    await replaceText(
      page,
      "import sys\nprint('hello from the sandbox')\nprint('<b>not bold</b>', file=sys.stderr)\nsys.exit(2)\n",
    );
    await page.click("[data-run]");
    await finished(page);
    expect(await status(page)).toMatch(/^Exited with code 2 · \d+ ms$/);
    const out = page.locator('[data-run-log] [data-stream="stdout"]');
    const err = page.locator('[data-run-log] [data-stream="stderr"]');
    expect(await out.textContent()).toBe("hello from the sandbox\n");
    // Output is text, never markup.
    expect(await err.textContent()).toBe("<b>not bold</b>\n");
    expect(await page.locator("[data-run-log] b").count()).toBe(0);
    const [outColor, errColor] = await Promise.all(
      [out, err].map((l) => l.evaluate((el) => getComputedStyle(el).color)),
    );
    expect(outColor).not.toBe(errColor);
    await page.screenshot({ path: join(screenshotDir(), "run-output.png") });
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  test("Ctrl-Enter in the editor runs instead of inserting a line; Stop ends a long run", async () => {
    const { context, page, problems } = await openProject("javascript", "light");
    const program = "let i = 0;\nsetInterval(() => console.log('tick ' + ++i), 100);";
    await replaceText(page, program);
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() =>
      document.querySelector("[data-run-log]")?.textContent?.includes("tick 3"),
    );
    // The shortcut did not reach CodeMirror: the text is unchanged.
    expect(await page.locator(".cm-content").innerText()).toBe(program);
    expect(await page.locator("[data-run]").isDisabled()).toBe(true);
    await page.screenshot({ path: join(screenshotDir(), "run-streaming.png") });
    await page.click("[data-run-stop]");
    await finished(page);
    expect(await status(page)).toBe("Stopped");
    expect(await page.locator("[data-run-stop]").isHidden()).toBe(true);
    expect(await page.locator("[data-run]").isEnabled()).toBe(true);
    // Output stopped arriving: the run's process group is gone.
    const before = await page.locator("[data-run-log]").textContent();
    await page.waitForTimeout(400);
    expect(await page.locator("[data-run-log]").textContent()).toBe(before);
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  test("with the README open, Run runs the project's entry file", async () => {
    const { context, page, problems } = await openProject("javascript");
    await page.click('[role="treeitem"][data-path="README.md"]');
    await page.waitForSelector('[data-editor][data-path="README.md"][data-editor-ready=true]');
    await page.click("[data-run]");
    await finished(page);
    expect(await status(page)).toMatch(/^Exited with code 0 · /);
    expect(await page.locator("[data-run-log]").textContent()).toBe("Hello, Aura!\n");
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
