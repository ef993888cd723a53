import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { getUserByEmail } from "../../src/db/queries/users.ts";
import { createProject } from "../../src/features/projects/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { browserUnavailable, launchBrowser, screenshotDir } from "../helpers/browser.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`browser tests skipped: ${unavailable}`);

/** Console errors and page errors, except the 4xx Chromium logs for expected answers (422 form, 404 project page until it lands). */
function watch(page: Page): string[] {
  const problems: string[] = [];
  const expected = /Failed to load resource: the server responded with a status of (422|404)/;
  page.on("console", (m) => m.type() === "error" && !expected.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

async function register(page: Page, base: string, email: string) {
  await page.goto(`${base}/register`);
  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Last name").fill("Hopper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${base}/projects`);
  await page.waitForFunction(() => "htmx" in window);
}

describe.skipIf(Boolean(unavailable))("the dashboard in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_EDITOR: "100000/1m" });
    server = listen(t);
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  test("empty state → New project dialog → create → back → search → delete with confirmation", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watch(page);
    await register(page, server.url, `dash-${crypto.randomUUID().slice(0, 8)}@example.com`);
    expect(await page.getByText("No projects yet").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Create your first project" }).click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Create project" }).click(); // empty name: the browser's own check
    await dialog.getByLabel("Name").fill("   ");
    await dialog.getByLabel("Description").fill("kept <b>as typed</b>");
    await dialog.getByRole("button", { name: "Create project" }).click();
    await dialog.getByText("Name is required").waitFor();
    expect(await dialog.getByLabel("Description").inputValue()).toBe("kept <b>as typed</b>");

    await dialog.getByLabel("Language").selectOption("python");
    await dialog.locator('option[value="python-starter"]').waitFor({ state: "attached" });
    await dialog.getByLabel("Name").fill("Snake <charmer>");
    await page.screenshot({ path: join(screenshotDir(), "dashboard-new-project-desktop.png") });
    await dialog.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);

    await page.goto(`${server.url}/projects`);
    await page.getByRole("link", { name: "Snake <charmer>" }).waitFor();
    expect(await page.getByText("Python", { exact: true }).first().isVisible()).toBe(true);

    await page.getByLabel("Search projects by name").fill("nothing like it");
    await page.getByText("No projects match").waitFor();
    expect(page.url()).toBe(`${server.url}/projects?q=nothing+like+it`);
    await page.getByLabel("Search projects by name").fill("snake");
    await page.getByRole("link", { name: "Snake <charmer>" }).waitFor();
    await page.goBack();
    await page.getByText("No projects match").waitFor();
    await page.goForward();
    await page.getByRole("link", { name: "Snake <charmer>" }).waitFor();

    await page.getByRole("button", { name: "Delete Snake <charmer>" }).click();
    const confirm = page.getByRole("dialog", { name: /Delete/ });
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "Delete Snake <charmer>" }).click();
    await confirm.getByRole("button", { name: "Delete project" }).click();
    await page.getByRole("status").getByText("Deleted “Snake <charmer>”.").waitFor();
    expect(await page.getByRole("link", { name: "Snake <charmer>" }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  for (const [device, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    test(`a dashboard with a few projects, sorted and renamed (${device})`, async () => {
      // The phone run is in dark mode, so the screenshots show both schemes.
      const colorScheme = device === "phone" ? "dark" : "light";
      const context = await browser.newContext({ viewport, colorScheme });
      const page = await context.newPage();
      const problems = watch(page);
      const email = `shots-${device}-${crypto.randomUUID().slice(0, 8)}@example.com`;
      await register(page, server.url, email);
      const userId = (await getUserByEmail(await t.deps.db.get(), email))!.id;
      for (const [name, language, description] of [
        ["Weather station", "python", "Reads sensors and plots the week"],
        ["Portfolio site", "html", "My personal page"],
        ["API client", "typescript", ""],
        ["Todo app", "javascript", "Vanilla JS, no framework"],
        ["Button styles", "css", ""],
      ] as const)
        await createProject(t.deps, userId, { name, language, description });
      await page.reload();
      await page.waitForFunction(() => "htmx" in window);
      await page.getByRole("link", { name: "Name" }).click();
      await page.waitForURL(`${server.url}/projects?sort=name`);
      const first = page.locator("#projects-table tbody tr").first();
      expect(await first.getByRole("link").first().textContent()).toBe("API client");
      expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain("Name");
      await page.screenshot({ path: join(screenshotDir(), `dashboard-${device}.png`), fullPage: true });

      await page.getByRole("button", { name: "Rename API client" }).click();
      const rename = page.getByRole("dialog", { name: "Rename project" });
      await rename.getByLabel("Name").fill("Zebra client");
      await rename.getByRole("button", { name: "Save name" }).click();
      await page.getByRole("status").getByText("Renamed to “Zebra client”.").waitFor();
      expect(
        await page.locator("#projects-table tbody tr").last().getByRole("link").first().textContent(),
      ).toBe("Zebra client");
      expect(page.url()).toBe(`${server.url}/projects?sort=name`);

      await page.getByRole("button", { name: "New project", exact: true }).click();
      await page.getByRole("dialog", { name: "New project" }).waitFor();
      await page.screenshot({ path: join(screenshotDir(), `dashboard-new-project-${device}.png`) });
      expect(problems).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
