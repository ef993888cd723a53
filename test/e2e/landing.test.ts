import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { browserUnavailable, launchBrowser, screenshotDir } from "../helpers/browser.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`browser tests skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("the landing page in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp();
    server = listen(t);
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  test("renders styled, loads htmx, and shows no console errors on desktop and phone", async () => {
    for (const [name, viewport] of [
      ["landing-desktop", { width: 1280, height: 800 }],
      ["landing-phone", { width: 390, height: 844 }],
    ] as const) {
      const page = await browser.newPage({ viewport });
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      const started = performance.now();
      await page.goto(`${server.url}/`, { waitUntil: "load" });
      const loadMs = performance.now() - started;
      await page.waitForFunction(() => "htmx" in window);
      const heading = page.getByRole("heading", { level: 1 });
      expect(await heading.isVisible()).toBe(true);
      // Tailwind applied: the primary call to action has the brand background, not the default.
      const background = await page
        .getByRole("link", { name: "Start a project" })
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).not.toBe("rgba(0, 0, 0, 0)");
      await page.screenshot({ path: join(screenshotDir(), `${name}.png`), fullPage: true });
      expect(problems).toEqual([]);
      console.log(`${name}: loaded in ${Math.round(loadMs)} ms`);
      await page.close();
    }
  }, 60_000);
});
