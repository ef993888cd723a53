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
if (unavailable) console.warn(`Terminal browser tests skipped: ${unavailable}`);

/** The text xterm shows (its DOM renderer draws each row as text; rows run together here). */
const screenText = (page: Page) => page.locator("[data-terminal-screen] .xterm-rows").textContent();

describe.skipIf(Boolean(unavailable))("the Terminal panel, in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let client: ReturnType<typeof api>;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m", TERMINALS_PER_USER: "4" });
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

  for (const colorScheme of ["light", "dark"] as const)
    test(`Terminal opens a shell; \`ls\` lists the project's files (${colorScheme})`, async () => {
      const project = await client.project({ name: `Term ${colorScheme}`, language: "python" });
      await client.put(`/api/v1/projects/${project.id}/files/lib/helpers.py`, { content: "X = 1\n" });
      const context = await browser.newContext({ viewport: { width: 1200, height: 720 }, colorScheme });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await signIn(page, server.url, user);
      const scripts: string[] = [];
      page.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
      await page.goto(`${server.url}/projects/${project.id}?file=main.py`);
      await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
      // xterm is not part of the page until the panel asks for it.
      expect(scripts.some((s) => s.includes("/terminal."))).toBe(false);

      await page.locator("[data-terminal-open]").click();
      await page.waitForSelector("[data-terminal][data-terminal-state=connected]");
      await page.waitForFunction(
        () => document.querySelector("[data-terminal-screen] .xterm-rows")?.textContent?.includes("$"),
        null,
        { timeout: 15_000 },
      );
      expect(scripts.some((s) => s.includes("/terminal."))).toBe(true);
      await page.locator("[data-terminal-screen] .xterm").click();
      await page.keyboard.type("ls\n");
      await page.waitForFunction(
        () => document.querySelector("[data-terminal-screen] .xterm-rows")?.textContent?.includes("lib"),
        null,
        { timeout: 15_000 },
      );
      const text = await screenText(page);
      expect(text).toContain("main.py");
      expect(text).toContain("lib");
      await page.screenshot({ path: join(screenshotDir(), `terminal-${colorScheme}.png`) });

      // The connection drops (a reload): the panel comes back on the same shell, its screen replayed.
      await page.keyboard.type("echo kept-$((20+1))\n");
      await page.waitForFunction(() =>
        document.querySelector("[data-terminal-screen] .xterm-rows")?.textContent?.includes("kept-21"),
      );
      await page.reload();
      await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
      await page.locator("[data-terminal-open]").click();
      await page.waitForSelector("[data-terminal][data-terminal-state=connected]");
      await page.waitForFunction(
        () => document.querySelector("[data-terminal-screen] .xterm-rows")?.textContent?.includes("kept-21"),
        null,
        { timeout: 15_000 },
      );
      expect(problems).toEqual([]);
      await page.locator('[aria-label="Close the terminal"]').click();
      await page.waitForFunction(() => !document.querySelector("[data-terminal]"));
      await context.close();
    }, 60_000);
});
