import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { type ScriptedUpstream, startScriptedUpstream } from "../helpers/ai-upstream.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserUnavailable, launchBrowser, screenshotDir, signIn } from "../helpers/browser.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

const unavailable = browserUnavailable();
if (unavailable) console.warn(`assistant browser tests skipped: ${unavailable}`);

const MODELS = { AI_MODEL_PRIMARY: "e-primary", AI_MODEL_FALLBACK: "e-fallback", AI_MODEL_FAST: "e-fast" };

describe.skipIf(Boolean(unavailable))("the assistant in a real browser", () => {
  let upstream: ScriptedUpstream;
  let t: TestApp;
  let server: ReturnType<typeof listen>;
  let browser: Browser;
  let user: Awaited<ReturnType<typeof registerUser>>;

  beforeAll(async () => {
    upstream = startScriptedUpstream();
    t = await createTestApp({ ...MODELS, AI_BASE_URL: upstream.url, RATE_LIMIT_EDITOR: "100000/15m" });
    server = listen(t);
    browser = await launchBrowser();
    user = await registerUser(t);
    console.log(`screenshots: ${screenshotDir()}`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await t?.close();
    await upstream?.stop();
  });

  async function openAssistant(colorScheme: "dark" | "light") {
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, colorScheme });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("dialog", (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await signIn(page, server.url, user);
    const project = await api(t, user.auth).project({ name: `Chat ${crypto.randomUUID().slice(0, 4)}` });
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.waitForSelector("[data-editor][data-editor-ready=true] .cm-editor");
    await page.click("text=Assistant");
    await page.waitForSelector("[data-ai-panel] textarea");
    return { context, page, problems };
  }

  test("an answer streams in, then shows as rendered Markdown with highlighted code; model text stays inert", async () => {
    const { context, page, problems } = await openAssistant("dark");
    const reply =
      "Here is a **friendlier** greeting <img src=x onerror=alert(1)>:\n\n```js index.js\nfunction greet(name) {\n  return `Hi, ${name}!`;\n}\n```\n\nIt keeps `greet`'s signature.";
    upstream.script("e-primary", { kind: "reply", chunks: reply.match(/.{1,8}/gs) ?? [reply], delayMs: 60 });
    await page.fill("[data-ai-panel] textarea", "Make the greeting friendlier");
    await page.click("text=Send");
    // Mid-stream: raw text growing inside the busy answer.
    await page.waitForFunction(() => {
      const a = document.querySelector('[data-role="assistant"][aria-busy="true"]');
      return Boolean(a?.textContent && a.textContent.length > 10);
    });
    await page.waitForSelector('[data-role="assistant"] figure.ai-code .tok-keyword', { timeout: 15_000 });
    expect(await page.locator('[data-role="assistant"] strong').textContent()).toBe("friendlier");
    expect(await page.locator('[data-role="assistant"] img').count()).toBe(0);
    expect(await page.locator("[data-ai-meta]").textContent()).toMatch(/^e-primary · \d+ in \/ \d+ out · \$/);
    await page.screenshot({ path: join(screenshotDir(), "assistant-answer.png") });
    // The reference opens its file.
    await page.click('[aria-label="References"] a');
    await page.waitForSelector('[data-editor][data-path="index.js"]');
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  test("Apply shows the suggestion against the file in a merge view, then saves it with its version", async () => {
    const { context, page, problems } = await openAssistant("light");
    const suggestion =
      'function greet(name) {\n  return `Hi there, ${name}!`;\n}\n\nconsole.log(greet("Aura"));\n';
    upstream.script("e-primary", {
      kind: "reply",
      chunks: ["Try this:\n\n```js index.js\n", suggestion, "```\n"],
    });
    await page.fill("[data-ai-panel] textarea", "Friendlier, please");
    await page.click("text=Send");
    await page.click("text=Apply to index.js…");
    const dialog = page.locator("dialog.aura-apply[open]");
    await dialog.waitFor();
    expect(await dialog.locator("h2").textContent()).toBe("Apply the suggestion to index.js");
    await page.screenshot({ path: join(screenshotDir(), "assistant-apply.png") });
    await dialog.getByRole("button", { name: "Apply" }).click();
    // The status bar says "Saved" before Apply as well; what counts is the stored file.
    const project = /\/projects\/([^/?]+)/.exec(page.url())![1];
    let stored = { content: "", version: 0 };
    for (let attempt = 0; attempt < 50 && stored.version < 2; attempt++) {
      if (attempt > 0) await Bun.sleep(200);
      const res = await api(t, user.auth).get(`/api/v1/projects/${project}/files/index.js`);
      stored = (await res.json()) as typeof stored;
    }
    await page.waitForFunction(() => document.querySelector("[data-status-save]")?.textContent === "Saved");
    expect(stored.content).toBe(suggestion);
    expect(stored.version).toBe(2);
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  test("at the limit of AI calls in progress the panel says so and keeps the question", async () => {
    const { context, page, problems } = await openAssistant("light");
    // Four calls of the user's elsewhere (other tabs, the API) hold every slot.
    const held = await Promise.all(Array.from({ length: 4 }, () => t.deps.ai.slot(user.user.id)));
    try {
      await page.fill("[data-ai-panel] textarea", "Is there room for one more?");
      await page.click("text=Send");
      await page.waitForFunction(() =>
        document
          .querySelector("[data-ai-status]")
          ?.textContent?.startsWith("You have 4 AI answers in progress."),
      );
      expect(await page.inputValue("[data-ai-panel] textarea")).toBe("Is there room for one more?");
      // Nothing was asked: neither the question nor an answer stays in the conversation.
      expect(await page.locator('[data-role="user"], [data-role="assistant"]').count()).toBe(0);
      await page.screenshot({ path: join(screenshotDir(), "assistant-limit.png") });
    } finally {
      await Promise.all(held.map((release) => release()));
    }
    await context.close();
    expect(problems.filter((p) => !p.includes("status of 429"))).toEqual([]);
  }, 60_000);

  test("tokens that arrive together are painted at once, not one text node each", async () => {
    const { context, page, problems } = await openAssistant("dark");
    const tokens = Array.from({ length: 500 }, (_, i) => `t${i % 10}. `);
    // The answer as one burst that ends without `done`, so the streamed text stays as painted.
    await page.route("**/ai/chat", (route) =>
      route.fulfill({
        status: 200,
        contentType: "text/event-stream",
        body: tokens.map((text) => `event: token\ndata: ${JSON.stringify({ text })}\n\n`).join(""),
      }),
    );
    await page.fill("[data-ai-panel] textarea", "Many tokens at once");
    await page.click("text=Send");
    const answer = page.locator('[data-role="assistant"]');
    await page.waitForFunction(
      (length) => (document.querySelector('[data-role="assistant"]')?.textContent ?? "").length === length,
      tokens.join("").length,
    );
    expect(await answer.evaluate((el) => el.childNodes.length)).toBeLessThan(5);
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  test("Stop ends a long answer and aborts the model call", async () => {
    const { context, page, problems } = await openAssistant("light");
    upstream.script("e-primary", {
      kind: "reply",
      chunks: Array.from({ length: 60 }, (_, i) => `word${i} `),
      delayMs: 100,
    });
    await page.fill("[data-ai-panel] textarea", "Write a long essay");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() =>
      document.querySelector('[data-role="assistant"]')?.textContent?.includes("word2"),
    );
    await page.click("[data-ai-stop]");
    await page.waitForFunction(() => document.querySelector("[data-ai-status]")?.textContent === "Stopped.");
    const call = upstream.requestsFor("e-primary").at(-1)!;
    for (let i = 0; i < 40 && !call.aborted; i++) await Bun.sleep(50);
    expect(call.aborted).toBe(true);
    await page.screenshot({ path: join(screenshotDir(), "assistant-stopped.png") });
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  test("an answer is rendered as it streams, block by block, and a stopped answer is kept when the panel opens again", async () => {
    const { context, page, problems } = await openAssistant("dark");
    const intro = "First, **the plan**:\n\n```js index.js\nconst answer = 42;\n```\n\n";
    const rest = Array.from({ length: 80 }, (_, i) => `word${i} `);
    upstream.script("e-primary", {
      kind: "reply",
      chunks: [...(intro.match(/.{1,6}/gs) ?? [intro]), ...rest],
      delayMs: 80,
    });
    await page.fill("[data-ai-panel] textarea", "Plan it out");
    await page.click("text=Send");
    const answer = page.locator('[data-role="assistant"]').last();
    // Mid-stream, the finished blocks are already rendered: no fence marks, highlighted code.
    await page.waitForSelector('[data-role="assistant"][aria-busy="true"] figure.ai-code .tok-keyword', {
      timeout: 15_000,
    });
    expect(await answer.locator("strong").textContent()).toBe("the plan");
    expect(await answer.textContent()).not.toContain("```");
    await page.waitForFunction(() =>
      document.querySelector('[data-role="assistant"][aria-busy="true"]')?.textContent?.includes("word3"),
    );
    await page.screenshot({ path: join(screenshotDir(), "assistant-streaming-rendered.png") });
    await page.click("[data-ai-stop]");
    await page.waitForFunction(() => document.querySelector("[data-ai-status]")?.textContent === "Stopped.");
    expect(await answer.locator("[data-ai-stopped]").textContent()).toBe("Stopped before the end");

    // Closed and opened again, the panel shows the stopped answer as far as it got, marked so.
    await page.click("[data-panel-close]");
    await page.click("text=Assistant");
    const kept = page.locator('[data-role="assistant"]').last();
    await kept.locator("[data-ai-stopped]").waitFor({ timeout: 10_000 });
    expect(await kept.locator("figure.ai-code").count()).toBe(1);
    expect(await kept.textContent()).toContain("word3");
    expect(await kept.textContent()).not.toContain("word79");
    await page.screenshot({ path: join(screenshotDir(), "assistant-stopped-kept.png") });
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
