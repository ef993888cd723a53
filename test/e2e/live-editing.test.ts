import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`live editing browser tests skipped: ${unavailable}`);

const SHOTS = process.env.SCREENSHOT_DIR ?? "/tmp/shots";
// Going offline makes Chromium log the failed socket and requests; nothing else may reach the console.
const EXPECTED = /net::ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed/;

type User = Awaited<ReturnType<typeof registerUser>>;

describe.skipIf(Boolean(unavailable))("live editing of one file by several people, in real browsers", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let owner: User;
  let editor: User;
  let viewer: User;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      RATE_LIMIT_REGISTER: "1000/1h",
      RATE_LIMIT_EDITOR: "100000/15m",
      RATE_LIMIT_API: "100000/15m",
      RATE_LIMIT_LOGIN: "1000/15m",
      RATE_LIMIT_LOGIN_IP: "1000/15m",
    });
    server = listen(t);
    browser = await launchBrowser();
    owner = await registerUser(t, { firstName: "Ada", lastName: "Lovelace" });
    editor = await registerUser(t, { firstName: "Grace", lastName: "Hopper" });
    viewer = await registerUser(t, { firstName: "Alan", lastName: "Turing" });
    mkdirSync(SHOTS, { recursive: true });
    console.log(`screenshots: ${SHOTS}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  /** A project of the owner's, shared with the editor (and the viewer), with `index.js` in it. */
  async function sharedProject() {
    const client = api(t, owner.auth);
    const project = await client.project({ name: `Live ${crypto.randomUUID().slice(0, 4)}` });
    for (const [who, role] of [
      [editor, "editor"],
      [viewer, "viewer"],
    ] as const) {
      const res = await client.post(`/api/v1/projects/${project.id}/members`, { email: who.email, role });
      if (res.status !== 201 && res.status !== 200)
        throw new Error(`share: ${res.status} ${await res.text()}`);
    }
    return project;
  }

  /** A signed-in page of `user` on the project's `index.js`, its console watched. */
  async function open(user: User, projectId: string, colorScheme: "light" | "dark" = "light") {
    const context = await browser.newContext({ viewport: { width: 1100, height: 560 }, colorScheme });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, server.url, user);
    await page.goto(`${server.url}/projects/${projectId}?file=index.js`);
    await ready(page);
    return { context, page, problems };
  }

  const ready = (page: Page) => page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
  const statusIs = (page: Page, text: string) =>
    page.waitForFunction((want) => document.querySelector("[data-status-save]")?.textContent === want, text, {
      timeout: 25_000,
    });
  /** The editor's text: its lines without the others' cursors and name tags drawn into them. */
  const text = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll(".cm-content .cm-line")]
        .map((line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          for (const widget of copy.querySelectorAll(".cm-ySelectionCaret, .cm-ghost")) widget.remove();
          return (copy.textContent ?? "").replaceAll("\u2060", "");
        })
        .join("\n"),
    );
  const shows = (page: Page, ...parts: string[]) =>
    waitUntil(
      async () => {
        const now = await text(page);
        return parts.every((p) => now.includes(p));
      },
      `the page to show ${parts.join(", ")}`,
    );
  const typeAt = async (page: Page, where: "start" | "end", typed: string) => {
    await page.locator(".cm-content").click();
    await page.keyboard.press(where === "start" ? "Control+Home" : "Control+End");
    await page.keyboard.type(typed);
  };
  /** The file as the API serves it. */
  const stored = async (projectId: string) => {
    const res = await api(t, owner.auth).get(`/api/v1/projects/${projectId}/files/index.js`);
    return ((await res.json()) as { content: string }).content;
  };
  /** Poll the stored file until `check` holds; the server writes the file shortly after storing an edit. */
  const storedSoon = (projectId: string, check: (content: string) => boolean, ms = 1500) =>
    waitUntil(async () => check(await stored(projectId)), "the stored file", ms);
  /** The journal entries this browser keeps for a document (one per page), or null. */
  const journalOf = (page: Page, docId: string | null) =>
    page.evaluate((name) => {
      const keys = Object.keys(localStorage).filter((k) => k.startsWith(`${name}:`));
      return keys.length > 0 ? keys.map((k) => localStorage.getItem(k)).join() : null;
    }, `aura:journal:${docId}`);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const done = async (...sessions: { context: BrowserContext; problems: string[] }[]) => {
    for (const s of sessions) await s.context.close();
    for (const s of sessions) expect(s.problems).toEqual([]);
  };

  test("two people type into one file and see each other's text, cursor, name and presence", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id, "light");
    const grace = await open(editor, project.id, "dark");

    await typeAt(ada.page, "end", "\n// Ada was here");
    await shows(grace.page, "// Ada was here");
    await typeAt(grace.page, "start", "// Grace was here\n");
    await shows(ada.page, "// Grace was here", "// Ada was here");
    // Each sees the other's cursor with the name on it, and both in the header, yourself first.
    const tag = (page: Page) => page.locator(".cm-ySelectionInfo");
    await tag(ada.page).filter({ hasText: "Grace Hopper" }).waitFor();
    await tag(grace.page).filter({ hasText: "Ada Lovelace" }).waitFor();
    const people = (page: Page) =>
      page.locator("#presence li").evaluateAll((li) => li.map((l) => l.getAttribute("title")));
    await waitUntil(async () => (await people(ada.page)).length === 2, "two people in the header");
    expect(await people(ada.page)).toEqual(["Ada Lovelace (you)", "Grace Hopper"]);
    expect(await people(grace.page)).toEqual(["Grace Hopper (you)", "Ada Lovelace"]);
    expect(await ada.page.locator("#presence li").first().textContent()).toBe("ALAda Lovelace (you)");

    await statusIs(ada.page, "Saved");
    await statusIs(grace.page, "Saved");
    await storedSoon(project.id, (c) => c.startsWith("// Grace was here\n") && c.endsWith("// Ada was here"));
    expect(await text(ada.page)).toBe(await text(grace.page));
    await shot(ada.page, "live-two-people-light");
    await shot(grace.page, "live-two-people-dark");
    await done(ada, grace);
  }, 90_000);

  test("a reload 0, 100 or 300 ms after typing loses nothing", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id);
    for (const ms of [0, 100, 300]) {
      const line = `// typed ${ms} ms before a reload`;
      await typeAt(ada.page, "end", `\n${line}`);
      if (ms) await Bun.sleep(ms);
      await ada.page.reload();
      await ready(ada.page);
      expect(await text(ada.page)).toContain(line);
      await storedSoon(project.id, (c) => c.includes(line));
    }
    await statusIs(ada.page, "Saved");
    await done(ada);
  }, 90_000);

  test("an edit the server never received is journaled in this browser and sent from the next page", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id);
    const docId = await ada.page.locator("[data-editor]").getAttribute("data-doc-id");
    expect(docId).toBeTruthy();
    const journal = () => journalOf(ada.page, docId);
    // From the next page on, its socket delivers the server's messages but none of the page's.
    let cut = true;
    await ada.page.routeWebSocket(/\/api\/v1\/collab\//, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => !cut && upstream.send(message));
      upstream.onMessage((message) => ws.send(message));
    });
    await ada.page.reload();
    await ready(ada.page);
    await typeAt(ada.page, "end", "\n// never reached the server");
    await statusIs(ada.page, "Saving…");
    expect(await journal()).toBeTruthy();
    await Bun.sleep(500);
    expect(await stored(project.id)).not.toContain("never reached");

    cut = false;
    await ada.page.reload();
    await ready(ada.page);
    expect(await text(ada.page)).toContain("// never reached the server");
    await storedSoon(project.id, (c) => c.endsWith("// never reached the server"));
    await statusIs(ada.page, "Saved");
    expect(await journal()).toBeNull();
    await done(ada);
  }, 90_000);

  test("deleting: a deletion alone is acknowledged too, and the journal empties", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id);
    const docId = await ada.page.locator("[data-editor]").getAttribute("data-doc-id");
    await ada.page.locator(".cm-content").click();
    await ada.page.keyboard.press("Control+End");
    for (let i = 0; i < 4; i++) await ada.page.keyboard.press("Backspace");
    await statusIs(ada.page, "Saved");
    expect(await journalOf(ada.page, docId)).toBeNull();
    await storedSoon(project.id, (c) => c.endsWith('console.log(greet("Aura"'));
    await done(ada);
  }, 90_000);

  test("both offline, both edit; back online, the edits merge everywhere", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id);
    const grace = await open(editor, project.id, "dark");
    await ada.context.setOffline(true);
    await grace.context.setOffline(true);
    await typeAt(ada.page, "end", "\n// Ada, offline");
    await typeAt(grace.page, "start", "// Grace, offline\n");
    await statusIs(ada.page, "Offline — kept in this browser");
    await statusIs(grace.page, "Offline — kept in this browser");
    await shot(grace.page, "live-offline");
    expect(await stored(project.id)).not.toContain("offline");
    expect(await text(ada.page)).not.toContain("Grace, offline");

    await ada.context.setOffline(false);
    await grace.context.setOffline(false);
    await statusIs(ada.page, "Saved");
    await statusIs(grace.page, "Saved");
    await shows(ada.page, "// Grace, offline", "// Ada, offline");
    await shows(grace.page, "// Grace, offline", "// Ada, offline");
    expect(await text(ada.page)).toBe(await text(grace.page));
    await storedSoon(project.id, (c) => c.startsWith("// Grace, offline\n") && c.endsWith("// Ada, offline"));
    await done(ada, grace);
  }, 90_000);

  test("a viewer's editor is read-only, and their typing changes nothing anywhere", async () => {
    const project = await sharedProject();
    const before = await stored(project.id);
    const ada = await open(owner, project.id);
    const alan = await open(viewer, project.id, "dark");
    await statusIs(alan.page, "Read only");
    await typeAt(alan.page, "end", "typed by a viewer");
    expect(await text(alan.page)).toBe(before);
    // The viewer is present all the same (and sees the owner's edits as they happen).
    await waitUntil(
      async () => (await ada.page.locator("#presence li").count()) === 2,
      "the viewer's presence",
    );
    expect(await ada.page.locator("#presence li").nth(1).getAttribute("title")).toBe("Alan Turing");
    await typeAt(ada.page, "end", "\n// seen by the viewer");
    await shows(alan.page, "// seen by the viewer");
    await shot(alan.page, "live-viewer");
    await storedSoon(project.id, (c) => c.endsWith("// seen by the viewer"));
    expect(await stored(project.id)).not.toContain("typed by a viewer");
    await done(ada, alan);
  }, 90_000);

  test("a file deleted elsewhere: the open editor says so and takes no more typing", async () => {
    const project = await sharedProject();
    const grace = await open(editor, project.id);
    const copies = () =>
      grace.page.evaluate(async () =>
        (await indexedDB.databases()).flatMap((d) => (d.name?.startsWith("aura:") ? [d.name] : [])),
      );
    /** Poll until the copies are as wanted; a time limit only so a regression fails the test. */
    const copiesBecome = async (wanted: (names: string[]) => boolean) => {
      for (let tries = 0; !wanted(await copies()); tries++) {
        if (tries > 200) throw new Error(`IndexedDB copies stayed ${JSON.stringify(await copies())}`);
        await Bun.sleep(50);
      }
    };
    // The browser keeps a copy of the open document…
    await copiesBecome((names) => names.length === 1);
    const res = await api(t, owner.auth).delete(`/api/v1/projects/${project.id}/files/index.js`);
    expect(res.status).toBeLessThan(300);
    await statusIs(grace.page, "This file was deleted or renamed elsewhere");
    // …and lets it go with the file: no later page could open that document again.
    await copiesBecome((names) => names.length === 0);
    expect(await grace.page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    await grace.page.waitForSelector('#toasts [data-toast="error"]');
    expect(await grace.page.locator("#toasts").textContent()).not.toContain("offline");
    const before = await text(grace.page);
    await typeAt(grace.page, "end", "typed into a deleted file");
    expect(await text(grace.page)).toBe(before);
    await shot(grace.page, "live-file-deleted");
    await done(grace);
  }, 90_000);

  test("a file uploaded over elsewhere: the open editor shows the upload as an edit and goes on", async () => {
    const project = await sharedProject();
    const grace = await open(editor, project.id);
    const form = new FormData();
    form.append("file", new File(["console.log('uploaded');\n"], "index.js"));
    const res = await t.request(`/api/v1/projects/${project.id}/files/upload`, {
      method: "POST",
      headers: owner.auth,
      body: form,
    });
    expect(res.status).toBe(201);
    await shows(grace.page, "console.log('uploaded');");
    // Still live: typing goes on and is stored over the upload.
    await typeAt(grace.page, "end", "// typed after the upload");
    await storedSoon(
      project.id,
      (c) => c.includes("console.log('uploaded');") && c.endsWith("// typed after the upload"),
    );
    await statusIs(grace.page, "Saved");
    await done(grace);
  }, 90_000);

  test("over the 1 MiB limit the editor says so; back under it, it connects again and saves", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id);
    await ada.page.locator(".cm-content").click();
    await ada.page.keyboard.press("Control+End");
    await ada.page.keyboard.insertText(`// ${"x".repeat(1024 * 1024)}\n`);
    await statusIs(
      ada.page,
      "Over the 1 MiB file limit — not saved until it is smaller (kept in this browser)",
    );
    await shot(ada.page, "live-too-large");
    await ada.page.keyboard.press("Control+z");
    await typeAt(ada.page, "end", "// small again");
    await statusIs(ada.page, "Saved");
    await storedSoon(project.id, (c) => c.endsWith("\n// small again") && c.length < 1000);
    await done(ada);
  }, 90_000);

  test("undo takes back only your own edit", async () => {
    const project = await sharedProject();
    const ada = await open(owner, project.id);
    const grace = await open(editor, project.id, "dark");
    await typeAt(ada.page, "end", "\n// Ada's line");
    await shows(grace.page, "// Ada's line");
    await typeAt(grace.page, "start", "// Grace's line\n");
    await shows(ada.page, "// Grace's line");
    await ada.page.locator(".cm-content").click();
    await ada.page.keyboard.press("Control+z");
    await waitUntil(async () => !(await text(ada.page)).includes("// Ada's line"), "Ada's undo");
    await shows(ada.page, "// Grace's line");
    await waitUntil(
      async () => !(await text(grace.page)).includes("// Ada's line"),
      "the undo to reach Grace",
    );
    await storedSoon(project.id, (c) => c.startsWith("// Grace's line\n") && !c.includes("// Ada's line"));
    // Redo brings it back ("Z": a real keyboard sends the capital with Shift held).
    await ada.page.keyboard.press("Control+Shift+Z");
    await shows(grace.page, "// Ada's line", "// Grace's line");
    await done(ada, grace);
  }, 90_000);
});

/** Poll `check` every 50 ms until it holds; throw naming `what` after `ms`. */
async function waitUntil(check: () => Promise<boolean> | boolean, what: string, ms = 25_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(50);
  }
}
