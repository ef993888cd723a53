import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { projectUrl } from "../../views/editor/urls.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`first-paint browser tests skipped: ${unavailable}`);

const SOURCE = `// Shown before the island runs\nexport function greet(name) {\n  return \`Hello, \${name}!\`;\n}\n\nconst html = "<script>alert(1)</script>";\nconsole.log(greet("Aura"), html, 42);\n`;

/** Where the text of the editor's first line is drawn, in page pixels. */
const firstLineBox = (page: Page) =>
  page.evaluate(() => {
    const line = document.querySelector("[data-editor] .cm-content .cm-line");
    if (!line) throw new Error("no .cm-line");
    const range = document.createRange();
    range.selectNodeContents(line);
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });

describe.skipIf(Boolean(unavailable))("the editor page before and after its script", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let url: string;
  let longUrl: string;
  let storageState: Awaited<ReturnType<BrowserContext["storageState"]>>;
  const shots = screenshotDir();

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m", RATE_LIMIT_LOGIN: "1000/15m" });
    server = listen(t);
    browser = await launchBrowser();
    const user = await registerUser(t, { firstName: "Grace", lastName: "Hopper" });
    const client = api(t, user.auth);
    const project = await client.project({ name: "First paint" });
    const put = await client.put(`/api/v1/projects/${project.id}/files/main.js`, { content: SOURCE });
    if (put.status >= 300) throw new Error(`create main.js: ${put.status} ${await put.text()}`);
    url = `${server.url}/projects/${project.id}?file=main.js`;
    const long = Array.from({ length: 300 }, (_, i) => `// line ${i + 1}`).join("\n");
    const putLong = await client.put(`/api/v1/projects/${project.id}/files/long.js`, { content: long });
    if (putLong.status >= 300) throw new Error(`create long.js: ${putLong.status}`);
    longUrl = `${server.url}${projectUrl(project.id, "long.js", 150)}`;
    const context = await browser.newContext();
    await signIn(await context.newPage(), server.url, user);
    storageState = await context.storageState();
    await context.close();
    console.log(`screenshots: ${shots}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  const page = async (colorScheme: "light" | "dark", javaScriptEnabled: boolean) => {
    const context = await browser.newContext({
      viewport: { width: 1100, height: 640 },
      colorScheme,
      javaScriptEnabled,
      storageState,
    });
    return { context, page: await context.newPage() };
  };

  test("without JavaScript the file's lines are shown highlighted, with line numbers, as text", async () => {
    const { context, page: p } = await page("light", false);
    try {
      await p.goto(url);
      const lines = await p.locator(".cm-static .cm-content .cm-line").allTextContents();
      expect(lines).toEqual(SOURCE.split("\n"));
      const numbers = await p
        .locator(".cm-static .cm-lineNumbers .cm-gutterElement:not(.cm-static-spacer)")
        .allTextContents();
      expect(numbers).toEqual(SOURCE.split("\n").map((_, i) => String(i + 1)));
      expect(await p.locator(".cm-static .tok-keyword").first().textContent()).toBe("export");
      expect(await p.locator(".cm-static .tok-comment").first().isVisible()).toBe(true);
      // The file's <script> is text: no element made from it, and its line reads as written.
      expect(await p.locator(".cm-static script").count()).toBe(0);
      expect(lines[5]).toBe('const html = "<script>alert(1)</script>";');
      // Coloured by the stylesheet alone: a keyword is not the colour of plain text.
      const colours = await p.evaluate(() => {
        const keyword = document.querySelector(".cm-static .tok-keyword") as HTMLElement;
        const line = keyword.closest(".cm-line") as HTMLElement;
        return [getComputedStyle(keyword).color, getComputedStyle(line).color];
      });
      expect(colours[0]).not.toBe(colours[1]);
      await p.screenshot({ path: join(shots, "first-paint-nojs-light.png") });
    } finally {
      await context.close();
    }
  });

  test("a link to a line scrolls the static copy to that line before any script runs", async () => {
    const { context, page: p } = await page("light", false);
    try {
      await p.goto(longUrl);
      const where = await p.evaluate(() => {
        const line = document.getElementById("L150");
        const scroller = document.querySelector(".cm-static .cm-scroller") as HTMLElement;
        const box = line?.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        return { text: line?.textContent, inView: !!box && box.top >= view.top && box.bottom <= view.bottom };
      });
      expect(where).toEqual({ text: "// line 150", inView: true });
      expect(await p.locator("[id^=L]").count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`${scheme}: after the island mounts, the first line is where the static copy drew it`, async () => {
      const before = await page(scheme, false);
      const after = await page(scheme, true);
      try {
        await before.page.goto(url);
        const staticBox = await firstLineBox(before.page);
        await before.page.screenshot({ path: join(shots, `first-paint-static-${scheme}.png`) });

        await after.page.goto(url);
        await after.page.waitForSelector('[data-editor][data-editor-ready="true"]');
        expect(await after.page.locator("[data-static-editor]").count()).toBe(0);
        expect(await after.page.locator("[data-editor] .cm-content[contenteditable=true]").count()).toBe(1);
        const liveBox = await firstLineBox(after.page);
        await after.page.screenshot({ path: join(shots, `first-paint-mounted-${scheme}.png`) });

        expect(Math.abs(liveBox.x - staticBox.x)).toBeLessThanOrEqual(1);
        expect(Math.abs(liveBox.y - staticBox.y)).toBeLessThanOrEqual(1);
        expect(Math.abs(liveBox.width - staticBox.width)).toBeLessThanOrEqual(1);
        expect(Math.abs(liveBox.height - staticBox.height)).toBeLessThanOrEqual(1);
        // The island's highlighting uses the same classes, so the same colours.
        const keyword = (p: Page) =>
          p.evaluate(
            () => getComputedStyle(document.querySelector("[data-editor] .tok-keyword") as Element).color,
          );
        expect(await keyword(after.page)).toBe(await keyword(before.page));
      } finally {
        await before.context.close();
        await after.context.close();
      }
    });
  }
});
