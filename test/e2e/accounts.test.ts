import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { browserUnavailable, launchBrowser, screenshotDir } from "../helpers/browser.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`browser tests skipped: ${unavailable}`);

/**
 * Collect console errors (CSP violations are reported there as "Refused to …") and uncaught
 * page errors. Chromium also logs every 4xx fetch; the 422 of a form with errors is expected.
 */
function watch(page: Page): string[] {
  const problems: string[] = [];
  const expected = /Failed to load resource: the server responded with a status of 422/;
  page.on("console", (m) => m.type() === "error" && !expected.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

describe.skipIf(Boolean(unavailable))("accounts in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h" });
    server = listen(t);
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  for (const [device, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    test(`register with htmx, see projects, account and sessions, then sign out (${device})`, async () => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems = watch(page);
      const shot = (name: string) =>
        page.screenshot({ path: join(screenshotDir(), `${name}-${device}.png`), fullPage: true });

      await page.goto(`${server.url}/register`);
      await page.waitForFunction(() => "htmx" in window);
      const email = `browser-${device}-${crypto.randomUUID().slice(0, 8)}@example.com`;
      await page.getByLabel("First name").fill("Ada");
      await page.getByLabel("Last name").fill("Lovelace");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("too short");
      await page.getByRole("button", { name: "Create account" }).click();

      // htmx swapped the form in place: the error is inline, values kept, password cleared, URL unchanged.
      const error = page.getByText("Password must be at least 10 characters");
      await error.waitFor();
      expect(page.url()).toBe(`${server.url}/register`);
      expect(await page.getByLabel("Email").inputValue()).toBe(email);
      expect(await page.getByLabel("Password").inputValue()).toBe("");
      expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
      await shot("register-error");

      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(`${server.url}/projects`);
      await page.getByRole("heading", { name: "Projects", exact: true }).waitFor();
      expect(await page.getByText("No projects yet").isVisible()).toBe(true);
      await shot("projects");

      await page.getByRole("link", { name: "Account" }).click();
      await page.waitForURL(`${server.url}/account`);
      expect(await page.getByText(email).isVisible()).toBe(true);
      await page.getByRole("link", { name: "Manage sessions" }).click();
      await page.waitForURL(`${server.url}/account/sessions`);
      expect(await page.getByText("This device", { exact: true }).isVisible()).toBe(true);
      await shot("sessions");

      await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(`${server.url}/`);
      await page.goto(`${server.url}/account`);
      expect(page.url()).toBe(`${server.url}/login?next=%2Faccount`);
      expect(problems).toEqual([]);
      await context.close();
    }, 60_000);
  }

  test("after signing out, Back does not show the project list from the browser's cache", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/register`);
    await page.waitForFunction(() => "htmx" in window);
    await page.getByLabel("First name").fill("Back");
    await page.getByLabel("Last name").fill("Button");
    await page.getByLabel("Email").fill(`back-${crypto.randomUUID().slice(0, 8)}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.url}/projects`);
    await page.getByRole("heading", { name: "Projects", exact: true }).waitFor();
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/`);

    await page.goBack();
    await page.waitForLoadState();
    expect(page.url()).toBe(`${server.url}/login?next=%2Fprojects`);
    expect(await page.getByRole("heading", { name: "Sign in to Aura" }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  test("signing out clears this browser's copies, and asks first when offline edits would go", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${server.url}/register`);
    await page.waitForFunction(() => "htmx" in window);
    await page.getByLabel("First name").fill("Shared");
    await page.getByLabel("Last name").fill("Computer");
    await page.getByLabel("Email").fill(`shared-${crypto.randomUUID().slice(0, 8)}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.url}/projects`);
    // What an editor leaves behind: a document's local copy, and a journal of edits made offline.
    await page.evaluate(async () => {
      localStorage.setItem("aura:journal:doc-1:page-1", "AAA=");
      await new Promise((resolve) => {
        const open = indexedDB.open("aura:doc-1");
        open.onsuccess = () => {
          open.result.close();
          resolve(undefined);
        };
      });
    });
    const dialogs: string[] = [];
    page.once("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.waitForFunction(() => document.readyState === "complete");
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]).toContain("have not reached the server");
    // Cancelled: still signed in, nothing deleted.
    expect(page.url()).toBe(`${server.url}/projects`);
    expect(await page.evaluate(() => localStorage.getItem("aura:journal:doc-1:page-1"))).toBe("AAA=");

    page.once("dialog", (d) => void d.accept());
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${server.url}/`);
    const left = await page.evaluate(async () => ({
      keys: Object.keys(localStorage),
      databases: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(left).toEqual({ keys: [], databases: [] });
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  test("revoking another session with htmx swaps the list in place", async () => {
    const email = `two-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
    const [a, b] = await Promise.all(contexts.map((c) => c.newPage()));
    const problems = watch(a!);
    await a!.goto(`${server.url}/register`);
    await a!.getByLabel("First name").fill("Two");
    await a!.getByLabel("Last name").fill("Devices");
    await a!.getByLabel("Email").fill(email);
    await a!.getByLabel("Password").fill("correct horse battery");
    await a!.getByRole("button", { name: "Create account" }).click();
    await a!.waitForURL(`${server.url}/projects`);
    await b!.goto(`${server.url}/login`);
    await b!.getByLabel("Email").fill(email);
    await b!.getByLabel("Password").fill("correct horse battery");
    await b!.getByRole("button", { name: "Sign in" }).click();
    await b!.waitForURL(`${server.url}/projects`);

    await a!.goto(`${server.url}/account/sessions`);
    await a!.waitForFunction(() => "htmx" in window);
    await a!.getByRole("button", { name: "Revoke" }).click();
    await a!.getByText("That session has been signed out.").waitFor();
    expect(await a!.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    await b!.goto(`${server.url}/account`);
    expect(b!.url()).toContain("/login");
    expect(problems).toEqual([]);
    await Promise.all(contexts.map((c) => c.close()));
  }, 60_000);
});
