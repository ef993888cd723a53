import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { aiInteractions } from "../../src/db/schema/ai-interactions.ts";
import { usageAnalytics } from "../../src/db/schema/usage-analytics.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`Usage browser test skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("the usage dashboard in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;

  beforeAll(async () => {
    t = await createTestApp();
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t);
    const db = await t.deps.db.get();
    const rows = [];
    for (let d = 0; d < 30; d += 1 + (d % 3)) {
      for (const [model, type] of [
        ["gpt-4o-mini", "completion"],
        ["gpt-4o", "chat"],
      ] as const)
        rows.push({
          userId: user.user.id,
          requestType: type,
          model,
          tokensInput: 200 + d * 40,
          tokensOutput: 30 + d * 5,
          cost: (d % 5) * 0.7 + (type === "chat" ? 1.2 : 0.1),
          latencyMs: 80 + d * 13,
          createdAt: new Date(Date.now() - d * 86_400_000),
        });
    }
    await db.insert(aiInteractions).values(rows);
    await db.insert(usageAnalytics).values(
      Array.from({ length: 12 }, (_, i) => ({
        userId: user.user.id,
        eventType: "sandbox_run",
        eventData: { outcome: i % 4 ? "success" : "error", durationMs: 40 + i * 9 },
        createdAt: new Date(Date.now() - (i % 6) * 86_400_000),
      })),
    );
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  test("shows totals, charts with a tooltip per bar, and no errors", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, colorScheme });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(e.message));
      await signIn(page, server.url, user);
      await page.click('nav[aria-label="Main"] >> text=Usage');
      await page.waitForURL(/\/usage/);
      expect(await page.locator("h1").textContent()).toBe("Your usage");
      expect(await page.locator('svg[role="img"]').count()).toBe(3);
      const bar = page.locator("figure rect").first();
      expect(await bar.locator("title").textContent()).toMatch(/^\d{4}-\d{2}-\d{2}: \$/);
      await page.screenshot({ path: join(screenshotDir(), `usage-${colorScheme}.png`), fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 60_000);
});
