import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { zipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { getUserByEmail } from "../../src/db/queries/users.ts";
import { createProject } from "../../src/features/projects/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { browserUnavailable, launchBrowser, screenshotDir } from "../helpers/browser.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`browser tests skipped: ${unavailable}`);

// A 4×4 red PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8CAB+GTG8HSALfKY52fTcuYAAAAAElFTkSuQmCC",
  "base64",
);

/** Page errors and console errors, except the 400 Chromium logs for the refused import. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  const expected = /Failed to load resource: the server responded with a status of 400/;
  page.on("console", (m) => m.type() === "error" && !expected.test(m.text()) && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  return problems;
}

async function register(page: Page, base: string, email: string) {
  await page.goto(`${base}/register`);
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${base}/projects`);
  await page.waitForFunction(() => "htmx" in window);
}

describe.skipIf(Boolean(unavailable))("files in and out, in a real browser", () => {
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

  test("Upload puts files in the tree; an image opens as itself with a download, not as text", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const problems = watch(page);
    const email = `up-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await register(page, server.url, email);
    const user = await getUserByEmail(await t.deps.db.get(), email);
    const project = await createProject(t.deps, user!.id, { name: "Uploads", language: "javascript" });
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.waitForSelector('[role="tree"]');

    await page.setInputFiles("input[data-upload]:not([webkitdirectory])", [
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("uploaded through the page\n") },
      { name: "logo.png", mimeType: "image/png", buffer: PNG },
    ]);
    await page.waitForSelector('[role="treeitem"][data-path="logo.png"]');
    await page.waitForSelector('[role="treeitem"][data-path="notes.txt"]');
    await page.getByText("Uploaded 2 files").waitFor();
    await page.screenshot({ path: join(screenshotDir(), "upload-tree.png") });

    await page.locator('[data-path="logo.png"] [data-open]').click();
    await page.waitForSelector("[data-binary] img");
    const shown = await page.$eval("[data-binary] img", (img) => (img as HTMLImageElement).naturalWidth);
    expect(shown).toBe(4);
    expect(await page.getByText(/binary file, 1 KB/).isVisible()).toBe(true);
    const binaryDownload = page.locator("[data-binary]").getByRole("link", { name: "Download", exact: true });
    expect(await binaryDownload.getAttribute("href")).toBe(`/projects/${project.id}/raw/logo.png`);
    expect(await page.textContent("[data-status-language]")).toBe("Binary file");
    await page.screenshot({ path: join(screenshotDir(), "upload-binary-view.png") });

    // Dropped on a folder's row, a file lands in that folder.
    await page.evaluate(() => {
      const target = document.querySelector('[role="tree"]')!;
      const data = new DataTransfer();
      data.items.add(new File(["dropped\n"], "dropped.txt", { type: "text/plain" }));
      for (const type of ["dragover", "drop"])
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    });
    await page.waitForSelector('[role="treeitem"][data-path="dropped.txt"]');

    // A text file downloads from the tab bar as the bytes stored.
    await page.locator('[data-path="notes.txt"] [data-open]').click();
    await page.waitForSelector('[data-editor][data-path="notes.txt"]');
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("notes.txt");
    const saved = await download.path();
    expect(await Bun.file(saved).text()).toBe("uploaded through the page\n");

    // Uploading over the open file opens it again with the new text.
    await page.setInputFiles("input[data-upload]:not([webkitdirectory])", [
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("second version\n") },
    ]);
    await page
      .locator("[data-editor] .cm-content[contenteditable=true]")
      .getByText("second version")
      .waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  test("Import .zip on the dashboard opens the new project; a zip slip is refused in the dialog", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const problems = watch(page);
    await register(page, server.url, `imp-${crypto.randomUUID().slice(0, 8)}@example.com`);

    await page.getByRole("button", { name: "Import .zip" }).click();
    const dialog = page.getByRole("dialog", { name: "Import a .zip" });
    await dialog.waitFor();
    const slip = Buffer.from(zipSync({ "../evil.sh": new TextEncoder().encode("echo hi\n") }));
    await dialog
      .getByLabel("Archive")
      .setInputFiles({ name: "evil.zip", mimeType: "application/zip", buffer: slip });
    await dialog.getByRole("button", { name: "Import" }).click();
    await dialog.getByText(/\.\. segments/).waitFor();
    await page.screenshot({ path: join(screenshotDir(), "import-refused.png") });

    const zip = Buffer.from(
      zipSync({
        "site/index.html": new TextEncoder().encode("<h1>Hi</h1>\n"),
        "site/logo.png": new Uint8Array(PNG),
      }),
    );
    await dialog
      .getByLabel("Archive")
      .setInputFiles({ name: "my site.zip", mimeType: "application/zip", buffer: zip });
    await Promise.all([
      page.waitForURL(/\/projects\/[0-9a-f-]{36}/),
      dialog.getByRole("button", { name: "Import" }).click(),
    ]);
    await page.waitForSelector('[role="treeitem"][data-path="site/logo.png"]');
    expect(await page.title()).toContain("my site");
    await page.screenshot({ path: join(screenshotDir(), "import-opened.png") });
    expect(problems).toEqual([]);
  }, 60_000);
});
