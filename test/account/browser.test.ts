import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { STAND_IN_ENV } from "../helpers/oauth-provider.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`browser tests skipped: ${unavailable}`);

/** Console errors and page errors, except Chromium's line for each refused form post (403, 422). */
function watch(page: Page): string[] {
  const problems: string[] = [];
  const expected = /Failed to load resource: the server responded with a status of (403|422)/;
  page.on("console", (m) => m.type() === "error" && !expected.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

describe.skipIf(Boolean(unavailable))("the account page in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;

  beforeAll(async () => {
    // Both providers configured, so the page offers to link them.
    t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", ...STAND_IN_ENV });
    server = listen(t);
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  test("change the name, then delete the account (a wrong password first) after reading what goes with it", async () => {
    const user = await registerUser(t, { firstName: "Ada", lastName: "Lovelace" });
    const friend = await registerUser(t);
    const project = await api(t, user.auth).project({ name: "Shared engine" });
    await api(t, user.auth).post(`/api/v1/projects/${project.id}/members`, {
      email: friend.email,
      role: "editor",
    });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watch(page);
    const shot = (name: string) =>
      page.screenshot({ path: join(screenshotDir(), `account-${name}.png`), fullPage: true });
    await signIn(page, server.url, user);
    await page.goto(`${server.url}/account`);
    await page.waitForFunction(() => "htmx" in window);
    await shot("page");
    for (const provider of ["Google", "GitHub"])
      expect(await page.getByRole("button", { name: `Link ${provider}` }).isVisible()).toBe(true);

    await page.getByLabel("First name").fill("Grace");
    await page.getByLabel("Last name").fill("Hopper");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Name saved.").waitFor();
    expect(page.url()).toBe(`${server.url}/account`);
    await page.getByRole("banner").getByText("Grace Hopper").waitFor();
    await shot("name-saved");
    await page.reload();
    expect(await page.getByLabel("First name").inputValue()).toBe("Grace");
    expect(await page.getByRole("banner").getByText("Grace Hopper").isVisible()).toBe(true);

    const danger = page.locator("#delete-account");
    expect(await danger.getByText("Shared engine").isVisible()).toBe(true);
    expect(await danger.getByText("deleted for everyone they are shared with").isVisible()).toBe(true);
    await page.getByLabel("Your password, to confirm").fill("not my password");
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByText("That password is not right").waitFor();
    await shot("delete-refused");

    await page.getByLabel("Your password, to confirm").fill(user.password);
    await Promise.all([
      page.waitForURL(`${server.url}/`),
      page.getByRole("button", { name: "Delete my account" }).click(),
    ]);
    await shot("deleted");
    await page.goto(`${server.url}/account`);
    expect(page.url()).toContain("/login");
    expect((await api(t, user.auth).get("/api/v1/auth/me")).status).toBe(401);
    expect((await api(t, friend.auth).get(`/api/v1/projects/${project.id}`)).status).toBe(404);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
