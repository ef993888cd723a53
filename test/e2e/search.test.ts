import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`Search browser tests skipped: ${unavailable}`);

const BILLING = `// Billing helpers.

export function formatMoney(cents) {
  return \`$\${(cents / 100).toFixed(2)}\`;
}

export function computeInvoiceTotal(items) {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}
`;

describe.skipIf(Boolean(unavailable))("code search on the project page, in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let project: { id: string };

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m" });
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t);
    const client = api(t, user.auth);
    project = await client.project({ name: "Shop" });
    for (let i = 0; i < 8; i++)
      await client.put(`/api/v1/projects/${project.id}/files/lib/module${i}.js`, {
        content: `function helper${i}() {\n  return ${i};\n}\n`,
      });
    await client.put(`/api/v1/projects/${project.id}/files/src/billing.js`, { content: BILLING });
    await t.deps.context.idle();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  async function openProject() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, server.url, user);
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
    return { context, page, problems };
  }

  test("Ctrl+Shift+F searches by meaning; a result opens its file at the function's line", async () => {
    const { context, page, problems } = await openProject();
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Shift+F");
    const box = page.locator("[data-search-q]");
    await box.waitFor();
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill("invoice total");
    const first = page.locator("#search-results [data-open-at]").first();
    await first.waitFor();
    expect(await first.textContent()).toContain("computeInvoiceTotal");
    expect(await first.textContent()).toContain("src/billing.js:7");
    expect(await page.locator("[data-index-summary]").textContent()).toMatch(/Indexed: 11 files, \d+ chunks/);
    await page.screenshot({ path: join(screenshotDir(), "search-results.png") });
    await first.click();
    await page.waitForSelector('[data-editor][data-path="src/billing.js"][data-editor-ready=true]');
    await page.waitForFunction(() =>
      document.querySelector("[data-status-cursor]")?.textContent?.includes("Ln 7"),
    );
    expect(new URL(page.url()).searchParams.get("line")).toBe("7");
    expect(problems).toEqual([]);
    await context.close();
  }, 30_000);

  test("Ctrl+P goes to a symbol: type part of its name, Enter opens it at its line", async () => {
    const { context, page, problems } = await openProject();
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+P");
    const box = page.locator("[data-goto-q]");
    await box.waitFor();
    await box.pressSequentially("fmtmon", { delay: 20 });
    await page.waitForFunction(() =>
      document.querySelector("#goto-results [data-open-at]")?.textContent?.includes("formatMoney"),
    );
    await page.screenshot({ path: join(screenshotDir(), "search-goto.png") });
    await box.press("Enter");
    await page.waitForSelector('[data-editor][data-path="src/billing.js"][data-editor-ready=true]');
    await page.waitForFunction(() =>
      document.querySelector("[data-status-cursor]")?.textContent?.includes("Ln 3"),
    );
    expect(await page.locator("#goto-dialog").evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  }, 30_000);

  test("Re-index shows its progress and what it did", async () => {
    const { context, page, problems } = await openProject();
    await page.click("[data-search-open]");
    await page.click("[data-reindex]");
    await page.waitForFunction(() =>
      document.querySelector("[data-reindex-note]")?.textContent?.startsWith("Done"),
    );
    expect(await page.locator("[data-reindex-note]").textContent()).toMatch(/^Done: 11 files, \d+ chunks/);
    expect(await page.locator("[data-reindex-progress]").isHidden()).toBe(true);
    await page.screenshot({ path: join(screenshotDir(), "search-reindex.png") });
    expect(problems).toEqual([]);
    await context.close();
  }, 30_000);
});
