import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`sharing browser tests skipped: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("sharing a project in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_EDITOR: "100000/15m" });
    server = listen(t);
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  // The refused second invitation answers 422, which Chromium logs; nothing else may reach the console.
  const EXPECTED = /Failed to load resource: the server responded with a status of 422/;
  const watch = (page: Page) => {
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    return problems;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`) });
  const ready = (page: Page) => page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");

  test("the owner shares with a second user, who sees it on their dashboard and opens it read-only", async () => {
    const owner = await registerUser(t, { firstName: "Ada", lastName: "Lovelace" });
    const guest = await registerUser(t, { firstName: "Grace", lastName: "Hopper" });
    const project = await api(t, owner.auth).project({ name: "Analytical <Engine>" });

    // The owner invites the guest from the IDE's Share dialog.
    const ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ownerPage = await ownerContext.newPage();
    const ownerProblems = watch(ownerPage);
    await signIn(ownerPage, server.url, owner);
    await ownerPage.goto(`${server.url}/projects/${project.id}`);
    await ready(ownerPage);
    await ownerPage.getByRole("button", { name: "Share" }).click();
    const dialog = ownerPage.getByRole("dialog", { name: "Share" });
    await dialog.getByText("Ada Lovelace (you)").waitFor();
    await dialog.getByLabel("Invite by email").fill(guest.email.toUpperCase());
    await dialog.getByLabel("Role", { exact: true }).selectOption("viewer");
    await dialog.getByRole("button", { name: "Invite" }).click();
    await dialog.getByText("Grace Hopper").waitFor();
    expect(await dialog.isVisible()).toBe(true); // the answer swaps inside; the dialog stays open
    expect(await dialog.getByLabel("Role of Grace Hopper").inputValue()).toBe("viewer");
    // Inviting the same person again is refused in place.
    await dialog.getByLabel("Invite by email").fill(guest.email);
    await dialog.getByRole("button", { name: "Invite" }).click();
    await dialog.getByText("is already a member of this project").waitFor();
    await shot(ownerPage, "share-dialog-owner");

    // The guest finds it on their dashboard, shared by Ada, and opens it.
    const guestContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const guestPage = await guestContext.newPage();
    const guestProblems = watch(guestPage);
    await signIn(guestPage, server.url, guest);
    const row = guestPage.getByRole("row", { name: /Analytical <Engine>/ });
    await row.getByText("Shared · can view").waitFor();
    expect(await row.getByText("by Ada Lovelace").isVisible()).toBe(true);
    expect(await row.getByRole("button", { name: /Delete/ }).count()).toBe(0);
    await shot(guestPage, "share-dashboard-guest");
    await row.getByRole("link", { name: "Analytical <Engine>" }).click();
    await guestPage.waitForURL(`${server.url}/projects/${project.id}`);
    await ready(guestPage);

    // A viewer's IDE: no Run, no assistant, no file actions, and an editor that ignores typing.
    expect(await guestPage.getByText("View only").isVisible()).toBe(true);
    expect(await guestPage.locator("[data-run]").count()).toBe(0);
    expect(await guestPage.getByRole("button", { name: "Assistant" }).count()).toBe(0);
    expect(await guestPage.getByRole("button", { name: "New…" }).count()).toBe(0);
    expect(await guestPage.getByRole("button", { name: /^Rename / }).count()).toBe(0);
    expect(await guestPage.locator("[data-editor]").getAttribute("data-role")).toBe("viewer");
    const before = await guestPage.locator(".cm-content").textContent();
    await guestPage.locator(".cm-content").click();
    await guestPage.keyboard.type("typed by a viewer");
    expect(await guestPage.locator(".cm-content").textContent()).toBe(before);
    expect(await guestPage.locator("[data-status-save]").textContent()).toBe("Read only");
    await shot(guestPage, "share-ide-viewer");

    // The guest's Share dialog lists everyone and offers only to leave.
    await guestPage.getByRole("button", { name: "Share" }).click();
    const theirs = guestPage.getByRole("dialog", { name: "Share" });
    await theirs.getByText("Grace Hopper (you)").waitFor();
    expect(await theirs.getByLabel("Invite by email").count()).toBe(0);
    await shot(guestPage, "share-dialog-viewer");

    // Made an editor by the owner, the guest can edit: their open page reloads by itself (the
    // server closes the file's live connection when access changes).
    await ownerPage.getByLabel("Role of Grace Hopper").selectOption("editor");
    const reloaded = guestPage.waitForEvent("load", { timeout: 10_000 });
    await Promise.all([
      ownerPage.waitForResponse((r) => r.url().endsWith("/role") && r.status() === 200),
      ownerPage.getByRole("button", { name: "Save" }).click(),
    ]);
    await reloaded;
    await ready(guestPage);
    expect(await guestPage.locator("[data-run]").count()).toBe(1);
    expect(await guestPage.locator("[data-editor]").getAttribute("data-role")).toBe("editor");

    // Leaving sends the guest back to a dashboard without the project.
    await guestPage.getByRole("button", { name: "Share" }).click();
    await theirs.getByRole("button", { name: "Leave project" }).click();
    await guestPage.waitForURL(`${server.url}/projects`);
    await guestPage.getByText("No projects yet").waitFor();

    await ownerContext.close();
    await guestContext.close();
    expect(ownerProblems).toEqual([]);
    expect(guestProblems).toEqual([]);
  }, 120_000);
});
