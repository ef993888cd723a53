import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { bundleEditor } from "../../scripts/build-assets.ts";
import { assetUrl } from "../../src/assets.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`AI island browser tests skipped: ${unavailable}`);

const SOURCE = `// A small module\nexport function greet(name) {\n  return \`Hello, \${name}!\`;\n}\n\nconst answer = 42;\nconsole.log(greet("Aura"), answer);\n`;
// The AI stub answers 503 and 429 in two tests; Chromium logs those failed requests.
const EXPECTED = /Failed to load resource: the server responded with a status of (503|429)/;

/** One request the page sent to an AI endpoint, as the stub saw it. */
interface AiCall {
  endpoint: string;
  body: Record<string, unknown>;
  token: string | null;
  route: Route;
}

describe.skipIf(Boolean(unavailable))("AI in the editor island, in a real browser", () => {
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;
  let n = 0;

  beforeAll(async () => {
    const scratch = mkdtempSync(join(tmpdir(), "aura-ai-island-"));
    const fresh = (await bundleEditor(scratch)).find((o) => o.name === "editor.js")?.file;
    rmSync(scratch, { recursive: true, force: true });
    if (!assetUrl("editor.js").endsWith(`/${fresh}`))
      throw new Error("public/assets is stale: run `bun run assets`");
    // An AI endpoint is configured so the page offers AI; the browser's AI calls are stubbed
    // below and never reach it.
    t = await createTestApp({
      AI_BASE_URL: "http://127.0.0.1:9/v1",
      RATE_LIMIT_EDITOR: "100000/15m",
      RATE_LIMIT_API: "100000/15m",
      RATE_LIMIT_LOGIN: "1000/15m",
      RATE_LIMIT_LOGIN_IP: "1000/15m",
    });
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t);
    console.log(`screenshots: ${screenshotDir()}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
  });

  /**
   * Open a fresh file with the AI endpoints stubbed: `answer` decides each call's fate (fulfil it
   * or hold it); every call lands in `calls`, and aborted ones in `aborted`. `token` is the
   * page's CSRF token, which every call must carry.
   */
  async function open(answer: (call: AiCall) => Promise<void> | void) {
    const client = api(t, user.auth);
    const project = await client.project({ name: `AI ${++n}` });
    const path = `src/ai-${n}.js`;
    await client.put(`/api/v1/projects/${project.id}/files/${path}`, { content: SOURCE });
    const context = await browser.newContext({ viewport: { width: 1100, height: 640 }, colorScheme: "dark" });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && !EXPECTED.test(m.text()) && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    const calls: AiCall[] = [];
    const aborted: Record<string, unknown>[] = [];
    page.on("requestfailed", (r) => {
      if (r.url().includes("/ai/") && r.failure()?.errorText.includes("ABORTED"))
        aborted.push(JSON.parse(r.postData() ?? "{}"));
    });
    await page.route(/\/projects\/[^/]+\/ai\/(complete|analyze)$/, async (route) => {
      const request = route.request();
      const call: AiCall = {
        endpoint: request.url().split("/").pop() ?? "",
        body: JSON.parse(request.postData() ?? "{}"),
        token: await request.headerValue("x-csrf-token"),
        route,
      };
      calls.push(call);
      await answer(call);
    });
    // The project's identifiers for local completion come from its code index; the stub keeps
    // this test about the editor, not about indexing.
    await page.route(/\/projects\/[^/]+\/words$/, (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({ words: ["projectWideHelper"] }),
      }),
    );
    await signIn(page, server.url, user);
    await page.goto(`${server.url}/projects/${project.id}?file=${encodeURIComponent(path)}`);
    await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
    const token = await page.evaluate(
      () => /"X-CSRF-Token":"([^"]+)"/.exec(document.body.getAttribute("hx-headers:inherited") ?? "")?.[1],
    );
    return { context, page, path, problems, calls, aborted, token };
  }

  const suggest = (text: string) => ({
    suggestions: [{ text, confidence: 0.9, type: "line" }],
    contextUsed: 100,
    latency: 12,
    cost: 0,
    model: "stub",
    cacheHit: false,
  });
  const fulfil = (call: AiCall, body: unknown, status = 200) =>
    call.route
      .fulfill({ status, contentType: "application/json", body: JSON.stringify(body) })
      .catch(() => {});
  const typeAtEnd = async (page: Page, text: string) => {
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(text);
  };
  const doc = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll(".cm-content .cm-line")]
        .map((l) => {
          const copy = l.cloneNode(true) as HTMLElement;
          for (const g of copy.querySelectorAll(".cm-ghost")) g.remove();
          return copy.textContent;
        })
        .join("\n"),
    );
  const waitFor = async (check: () => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (!check()) {
      if (Date.now() > until) throw new Error("timed out waiting");
      await Bun.sleep(25);
    }
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir(), `${name}.png`) });
  const close = async (context: BrowserContext, problems: string[]) => {
    await context.close();
    expect(problems).toEqual([]);
  };

  test("local completion offers the project's identifiers as well as the document's, at once", async () => {
    const { context, page, problems } = await open((call) => fulfil(call, suggest("")));
    await typeAtEnd(page, "\nprojectW");
    const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "projectWideHelper" });
    await option.waitFor({ timeout: 5_000 });
    await Bun.sleep(150); // CodeMirror ignores Enter for 75 ms after the list opens (interactionDelay)
    await option.click();
    expect(await doc(page)).toEndWith("projectWideHelper");
    await close(context, problems);
  }, 30_000);

  test("typing asks once after a pause, shows ghost text, and Tab inserts it", async () => {
    const { context, page, problems, calls, token } = await open((call) =>
      fulfil(call, suggest('("World");\n// done')),
    );
    await typeAtEnd(page, "greet");
    const typed = Date.now();
    await page.locator(".cm-ghost").waitFor();
    expect(Date.now() - typed).toBeGreaterThanOrEqual(200); // the debounce
    expect(calls).toHaveLength(1);
    const sent = `${SOURCE}greet`;
    expect(calls[0]!.endpoint).toBe("complete");
    expect(calls[0]!.token).toBe(token ?? "");
    expect(calls[0]!.body).toEqual({
      code: sent,
      language: "javascript",
      cursorPosition: sent.length,
      contextWindow: 2000,
    });
    expect(await page.locator(".cm-ghost").textContent()).toBe('("World");\n// done');
    const style = await page
      .locator(".cm-ghost")
      .evaluate((el) => [getComputedStyle(el).fontStyle, getComputedStyle(el).opacity]);
    expect(style).toEqual(["italic", "0.5"]);
    await page.keyboard.press("Escape"); // the ghost goes first, even with the completion popup open
    expect(await page.locator(".cm-ghost").count()).toBe(0);

    // Type again: a new request, and this time Tab accepts.
    await page.keyboard.type("s");
    await page.locator(".cm-ghost").waitFor();
    await shot(page, "ai-ghost-text");
    await page.keyboard.press("Tab");
    expect(await page.locator(".cm-ghost").count()).toBe(0);
    expect(await doc(page)).toEndWith('greets("World");\n// done');
    // The cursor sits after the inserted text: typing goes there.
    await page.keyboard.type("!");
    expect(await doc(page)).toEndWith("// done!");
    await Bun.sleep(400);
    // Accepting asked for nothing; the "!" asked once more (the stub answers; its ghost may show).
    expect(calls).toHaveLength(3);
    await close(context, problems);
  }, 30_000);

  test("Escape dismisses the ghost text and leaves the document alone", async () => {
    const { context, page, problems } = await open((call) => fulfil(call, suggest("Suffix")));
    await typeAtEnd(page, "const x = answer");
    await page.locator(".cm-ghost").waitFor();
    await page.keyboard.press("Escape");
    expect(await page.locator(".cm-ghost").count()).toBe(0);
    expect(await doc(page)).toEndWith("const x = answer");
    // Tab without ghost text indents as before instead of inserting anything.
    await page.keyboard.press("Escape"); // close the completion popup, if any
    await page.keyboard.press("Tab");
    expect(await doc(page)).not.toContain("Suffix");
    await close(context, problems);
  }, 30_000);

  test("a keystroke before the answer aborts the request; a late answer shows nothing", async () => {
    let first = true;
    const { context, page, problems, calls, aborted } = await open(async (call) => {
      if (first) {
        first = false;
        await Bun.sleep(1500); // the page aborts meanwhile
        await fulfil(call, suggest("STALE"));
      } else await fulfil(call, suggest("FRESH"));
    });
    await typeAtEnd(page, "gre");
    await waitFor(() => calls.length === 1);
    await page.keyboard.type("e");
    await waitFor(() => aborted.length === 1);
    expect(aborted[0]).toMatchObject({ code: `${SOURCE}gre` });
    await page.locator(".cm-ghost").waitFor();
    expect(await page.locator(".cm-ghost").textContent()).toBe("FRESH");
    // Moving the cursor clears it, and the stale answer never appears.
    await page.keyboard.press("ArrowLeft");
    await Bun.sleep(1600);
    expect(await page.locator(".cm-ghost").count()).toBe(0);
    expect(calls).toHaveLength(2);
    await close(context, problems);
  }, 30_000);

  test("503 reports nothing for completions and stops asking for the page's life", async () => {
    const { context, page, problems, calls } = await open((call) =>
      fulfil(call, { error: { message: "AI is switched off" } }, 503),
    );
    await typeAtEnd(page, "gre");
    await waitFor(() => calls.length === 1);
    await Bun.sleep(300); // let the 503 arrive (a keystroke now would abort reading it)
    await page.keyboard.type("et");
    await Bun.sleep(600);
    expect(calls).toHaveLength(1);
    expect(await page.locator(".cm-ghost").count()).toBe(0);
    // An analysis now fails at once with the server's message, without a request.
    const error = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const el = document.querySelector("[data-editor]") as HTMLElement;
          el.addEventListener("aura:ai-error", (e) => resolve((e as CustomEvent).detail), { once: true });
          el.dispatchEvent(new CustomEvent("aura:analyze", { detail: { kind: "review" } }));
        }),
    );
    expect(error).toEqual({ message: "AI is switched off" });
    expect(calls).toHaveLength(1);
    await close(context, problems);
  }, 30_000);

  test("an analysis shows findings as diagnostics, and Apply fix replaces the line", async () => {
    const { context, page, path, problems, calls, token } = await open((call) =>
      fulfil(call, {
        summary: "One bug.",
        findings: [
          { line: 6, severity: "error", message: "The answer is 43 here.", fix: "const answer = 43;" },
          { line: 2, severity: "warning", message: "greet has no JSDoc." },
          { severity: "info", message: "Small and readable." },
        ],
        latency: 30,
        cost: 0,
        model: "stub",
      }),
    );
    const analyzed = page.evaluate(
      () =>
        new Promise((resolve) => {
          const el = document.querySelector("[data-editor]") as HTMLElement;
          el.addEventListener("aura:analyzed", (e) => resolve((e as CustomEvent).detail), { once: true });
          el.dispatchEvent(new CustomEvent("aura:analyze", { detail: { kind: "bugs" } }));
        }),
    );
    expect(await analyzed).toEqual({ summary: "One bug.", count: 3 });
    expect(calls.map((c) => [c.endpoint, c.body, c.token])).toEqual([
      ["analyze", { path, code: SOURCE, kind: "bugs" }, token ?? ""],
    ]);
    const error = page.locator(".cm-lintRange-error");
    await error.waitFor();
    expect(await error.textContent()).toBe("const answer = 42;");
    expect(await page.locator(".cm-lintRange-warning").textContent()).toBe("export function greet(name) {");
    expect(await page.locator(".cm-lintRange-info").textContent()).toBe("// A small module");

    // Each message follows its line; a finding with a fix offers it there.
    const note = page.locator(".cm-aiNote-error");
    expect(await note.textContent()).toContain("The answer is 43 here.");
    expect(await page.locator(".cm-aiNote-info").textContent()).toBe("File: Small and readable.");
    await shot(page, "ai-diagnostic");
    await note.getByRole("button", { name: "Apply fix" }).click();
    expect((await doc(page)).split("\n")[5]).toBe("const answer = 43;");
    expect(await page.locator(".cm-lintRange-error").count()).toBe(0);
    expect(await page.locator(".cm-lintRange-warning").count()).toBe(1);

    // Mod-Alt-r asks for a review of the text as it is now.
    await page.locator(".cm-content").click();
    await page.keyboard.press("Control+Alt+r");
    await waitFor(() => calls.length === 2);
    expect(calls[1]!.body).toMatchObject({ kind: "review", code: SOURCE.replace("42", "43") });
    await close(context, problems);
  }, 30_000);

  test("a failed analysis reports aura:ai-error with the server's message", async () => {
    const { context, page, problems } = await open((call) =>
      fulfil(call, { error: { message: "Over today's AI budget" } }, 429),
    );
    const error = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const el = document.querySelector("[data-editor]") as HTMLElement;
          el.addEventListener("aura:ai-error", (e) => resolve((e as CustomEvent).detail), { once: true });
          el.dispatchEvent(new CustomEvent("aura:analyze"));
        }),
    );
    expect(error).toEqual({ message: "Over today's AI budget" });
    await close(context, problems);
  }, 30_000);
});
