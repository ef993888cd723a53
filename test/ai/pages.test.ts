import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { signedInWithProject } from "../editor/helpers.ts";
import { type ScriptedUpstream, startScriptedUpstream } from "../helpers/ai-upstream.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { injectedElements } from "../helpers/html.ts";
import { sseMessages } from "../helpers/sse.ts";

const MODELS = { AI_MODEL_PRIMARY: "p-primary", AI_MODEL_FALLBACK: "p-fallback", AI_MODEL_FAST: "p-fast" };

let upstream: ScriptedUpstream;
let t: TestApp;
let me: Awaited<ReturnType<typeof signedInWithProject>>;
let other: Awaited<ReturnType<typeof signedInWithProject>>;

beforeAll(async () => {
  upstream = startScriptedUpstream();
  t = await createTestApp({ ...MODELS, AI_BASE_URL: upstream.url, RATE_LIMIT_EDITOR: "100000/15m" });
  me = await signedInWithProject(t);
  other = await signedInWithProject(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await upstream?.stop();
});

const messages = sseMessages;

const HOSTILE =
  "Sure <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) " +
  '<a href="#" onclick="alert(4)">x</a>\n\n```js index.js\nconsole.log("<b>hi</b>");\n```\n';

describe("the assistant panel", () => {
  test("chat streams tokens, then the answer rendered as safe Markdown with highlighted code and its cost", async () => {
    upstream.script("p-primary", { kind: "reply", chunks: HOSTILE.match(/.{1,12}/gs) ?? [HOSTILE] });
    const res = await me.form(
      `/projects/${me.project.id}/ai/chat`,
      { message: "Say something <i>nasty</i>", currentFile: "index.js" },
      { accept: "text/event-stream, application/json" },
    );
    expect(res.status).toBe(200);
    const all = await messages(res);
    const streamed = all
      .filter((m) => m.event === "token")
      .map((m) => m.data.text)
      .join("");
    expect(streamed).toBe(HOSTILE);
    const done = all.at(-1)!;
    expect(done.event).toBe("done");
    const html = String(done.data.html);
    // Nothing the model wrote can run: no inline script, no handler attribute, no javascript: URL.
    expect(await injectedElements(html)).toEqual([]);
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('<figure class="ai-code" data-language="js" data-path="index.js">');
    expect(html).toContain('<span class="tok-string">"&lt;b&gt;hi&lt;/b&gt;"</span>');
    // The open file is a reference that opens it in the editor.
    expect(html).toMatch(/hx-get="\/projects\/[^"]+\/open\?file=index\.js"/);
    expect(html).toMatch(/data-ai-meta[^>]*>p-primary · \d+ in \/ \d+ out · \$/);
  });

  test("the panel lists the project's conversation; the question shows as text", async () => {
    const { html } = await me.browser.get(`/projects/${me.project.id}/ai`, { "hx-request": "true" });
    expect(html).toContain("data-ai-panel");
    expect(html).toContain("Say something &lt;i&gt;nasty&lt;/i&gt;");
    expect(await injectedElements(html)).toEqual([]);
    expect(html).toContain("<form data-ai-chat");
  });

  test("chat needs the CSRF token; someone else's project is 404 before anything streams", async () => {
    const noToken = await t.request(`/projects/${me.project.id}/ai/chat`, {
      method: "POST",
      headers: {
        cookie: me.browser.jar.header(),
        origin: "http://localhost",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ message: "hi" }),
    });
    expect(noToken.status).toBe(403);
    const foreign = await me.form(
      `/projects/${other.project.id}/ai/chat`,
      { message: "hi" },
      { accept: "application/json" },
    );
    expect(foreign.status).toBe(404);
    expect((await me.hx(`/projects/${other.project.id}/ai`)).status).toBe(404);
  });

  test("at the limit of AI calls in progress, chat answers 429 with the message the panel shows", async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => t.deps.ai.slot(me.user.user.id)));
    try {
      const res = await me.form(
        `/projects/${me.project.id}/ai/chat`,
        { message: "one more" },
        { accept: "text/event-stream, application/json" },
      );
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        "You have 4 AI answers in progress. Wait for one to finish, or stop one, then ask again.",
      );
    } finally {
      await Promise.all(held.map((release) => release()));
    }
  });

  test("the island's completion and analysis answer JSON for the signed-in user", async () => {
    upstream.script("p-fast", { kind: "reply", chunks: ["42;"] });
    const headers = {
      cookie: me.browser.jar.header(),
      origin: "http://localhost",
      "x-csrf-token": me.browser.token ?? "",
      "content-type": "application/json",
      accept: "application/json",
    };
    const complete = await t.request(`/projects/${me.project.id}/ai/complete`, {
      method: "POST",
      headers,
      body: JSON.stringify({ code: "const answer = ", language: "javascript", cursorPosition: 15 }),
    });
    expect(complete.status).toBe(200);
    expect(await complete.json()).toMatchObject({ suggestions: [{ text: "42;" }] });
    upstream.script("p-primary", { kind: "reply", chunks: ['{"summary":"ok","findings":[]}'] });
    const analyze = await t.request(`/projects/${me.project.id}/ai/analyze`, {
      method: "POST",
      headers,
      body: JSON.stringify({ path: "index.js" }),
    });
    expect(analyze.status).toBe(200);
    expect(await analyze.json()).toMatchObject({ summary: "ok", findings: [] });
  });
});

test("with no model configured the panel explains how to set one up, including a local Ollama", async () => {
  const off = await createTestApp();
  try {
    const user = await signedInWithProject(off);
    const { res, html } = await user.browser.get(`/projects/${user.project.id}/ai`, { "hx-request": "true" });
    expect(res.status).toBe(200);
    expect(html).toContain("data-ai-off");
    expect(html).toContain("AI_BASE_URL=http://localhost:11434/v1");
    expect(html).not.toContain("data-ai-chat");
    const chat = await user.form(
      `/projects/${user.project.id}/ai/chat`,
      { message: "hi" },
      { accept: "application/json" },
    );
    expect(chat.status).toBe(503);
  } finally {
    await off.close();
  }
});
