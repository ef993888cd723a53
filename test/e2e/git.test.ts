import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { getUserByEmail } from "../../src/db/queries/users.ts";
import { saveFile } from "../../src/features/files/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { browserUnavailable, launchBrowser, screenshotDir } from "../helpers/browser.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`browser tests skipped: ${unavailable}`);

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

async function register(page: Page, base: string): Promise<string> {
  const email = `git-${crypto.randomUUID().slice(0, 8)}@example.com`;
  await page.goto(`${base}/register`);
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${base}/projects`);
  await page.waitForFunction(() => "htmx" in window);
  return email;
}

describe.skipIf(Boolean(unavailable))("git in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let remote: GitServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp({
      GIT_ALLOW_PRIVATE_REMOTES: "1",
      RATE_LIMIT_REGISTER: "1000/1h",
      RATE_LIMIT_EDITOR: "100000/1m",
      RATE_LIMIT_API: "100000/1m",
    });
    server = listen(t);
    remote = startGitServer();
    browser = await launchBrowser();
    console.log(`screenshots: ${screenshotDir()}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await remote?.stop();
    await server?.stop();
    await t?.close();
  });

  for (const colorScheme of ["light", "dark"] as const)
    test(`clone from the dashboard, then see a diff, commit, push and pull from the panel (${colorScheme})`, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme });
      const page = await context.newPage();
      const problems = watch(page);
      const email = await register(page, server.url);
      const name = `site-${colorScheme}`;
      const url = remote.createRepo(name, {
        "index.js": "const a = 1;\nconsole.log(a);\n",
        "README.md": "# Site\n",
      });

      await page.getByRole("button", { name: "New project from Git URL" }).click();
      await page.getByLabel("Repository URL").fill(url);
      await page.screenshot({ path: join(screenshotDir(), `git-import-${colorScheme}.png`) });
      await page.getByRole("button", { name: "Clone" }).click();
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}/);
      const projectId = new URL(page.url()).pathname.split("/")[2]!;

      // An edit, saved as the editor saves it.
      const user = await getUserByEmail(await t.deps.db.get(), email);
      await saveFile(t.deps, user!.id, {
        projectId,
        path: "index.js",
        content: "const a = 2;\nconsole.log(a);\n",
      });

      await page.locator("[data-git-open]").click();
      const panel = page.locator("[data-source-control]");
      await panel.waitFor();
      expect(await panel.locator("[data-change]").count()).toBe(1);
      await panel.locator("[data-change] summary").click();
      expect(await panel.locator('[data-diff="del"]').textContent()).toBe("-const a = 1;");
      expect(await panel.locator('[data-diff="add"]').textContent()).toBe("+const a = 2;");
      await page.screenshot({ path: join(screenshotDir(), `git-panel-${colorScheme}.png`) });

      // Side by side, in the editor's merge view: the last commit's text and the text now.
      await panel.getByRole("button", { name: "Side by side" }).click();
      const compare = page.locator("dialog.aura-compare");
      await compare.locator(".cm-merge-a .cm-content").waitFor();
      expect(await compare.locator(".cm-merge-a .cm-content").textContent()).toContain("const a = 1;");
      expect(await compare.locator(".cm-merge-b .cm-content").textContent()).toContain("const a = 2;");
      expect(await compare.locator(".cm-changedLine").count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(screenshotDir(), `git-compare-${colorScheme}.png`) });
      await page.keyboard.press("Escape");
      await compare.waitFor({ state: "detached" });

      await panel.getByLabel("Commit message").fill("Two, not one");
      await panel.getByRole("button", { name: "Commit 1 change" }).click();
      await page.locator('[data-git-notice="success"]').waitFor();
      expect(await page.locator("[data-git-notice]").textContent()).toStartWith("Committed ");
      expect(await page.locator("[data-git-sync]").textContent()).toContain("1 to push");

      await page.locator('[data-git-action="push"]').click();
      await page.waitForFunction(() =>
        document.querySelector("[data-git-notice]")?.textContent?.startsWith("Pushed"),
      );
      expect(await page.locator("[data-git-sync]").textContent()).toContain("0 to push");
      await page.screenshot({ path: join(screenshotDir(), `git-pushed-${colorScheme}.png`) });

      const work = remote.cloneRepo(name);
      expect(runGit(work, "log", "-1", "--format=%an|%s")).toBe("Ada Lovelace|Two, not one");

      // A commit made elsewhere arrives with Pull, and the file tree shows its new file.
      writeFileSync(join(work, "from-cli.js"), "export {};\n");
      runGit(work, "add", "-A");
      runGit(work, "commit", "-q", "-m", "From the CLI");
      runGit(work, "push", "-q", "origin", "main");
      await page.locator('[data-git-action="pull"]').click();
      await page.waitForFunction(() =>
        document.querySelector("[data-git-notice]")?.textContent?.startsWith("Up to date"),
      );
      await page.locator("#tree").getByText("from-cli.js").waitFor();
      expect(problems).toEqual([]);
      await context.close();
    }, 60_000);

  test("files the project cannot hold are listed before it opens", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await register(page, server.url);
    const big = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const url = remote.createRepo("with-big", { "main.py": "print('hi')\n", "data/big.bin": big });
    await page.getByRole("button", { name: "New project from Git URL" }).click();
    await page.getByLabel("Repository URL").fill(url);
    await page.getByRole("button", { name: "Clone" }).click();
    await page.locator("[data-git-import-done]").waitFor();
    expect(await page.locator("[data-git-import-done] li").textContent()).toBe(
      "data/big.bin (over the 5 MiB file limit)",
    );
    await page.screenshot({ path: join(screenshotDir(), "git-import-skipped.png") });
    await page.getByRole("link", { name: "Open the project" }).click();
    await page.waitForURL(/\/projects\/[0-9a-f-]{36}/);
    await page.locator('[role="tree"]').getByText("main.py").waitFor();
    await context.close();
  }, 60_000);

  test("a refused URL is said in the dialog", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await register(page, server.url);
    await page.getByRole("button", { name: "New project from Git URL" }).click();
    await page.getByLabel("Repository URL").fill("file:///etc/passwd");
    await page.getByRole("button", { name: "Clone" }).click();
    await page.locator("#git-import-status [role=alert]").waitFor();
    expect(await page.locator("#git-import-status").textContent()).toContain("only http: and https:");
    await context.close();
  }, 60_000);
});
