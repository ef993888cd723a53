import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLocalRunner } from "../../src/adapters/sandbox/local.ts";
import { createApp } from "../../src/app.ts";
import { createSandbox } from "../../src/deps.ts";
import { runLanguageOf } from "../../src/features/sandbox/model.ts";
import { signedInWithProject } from "../editor/helpers.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { silentLogger } from "../helpers/logs.ts";
import { sandboxSkipReason, testInstance } from "../helpers/sandbox.ts";
import { sseMessages } from "../helpers/sse.ts";

const skip = sandboxSkipReason();
if (skip) console.warn(`skipping Run on the project page: ${skip}`);

let t: TestApp;
let me: Awaited<ReturnType<typeof signedInWithProject>>;
let other: Awaited<ReturnType<typeof signedInWithProject>>;

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/15m", RATE_LIMIT_API: "100000/15m" });
  me = await signedInWithProject(t);
  other = await signedInWithProject(t);
}, 60_000);
afterAll(() => t?.close());

/** The SSE messages of a response body, in order. */
const messages = sseMessages;

const run = (who: typeof me, fields: Record<string, string>, extra: Record<string, string> = {}) =>
  who.form(`/projects/${who.project.id}/run`, fields, {
    accept: "text/event-stream, application/json",
    ...extra,
  });

test("the language of a file comes from its extension; other files do not run", () => {
  expect(runLanguageOf("src/main.py")).toBe("python");
  expect(runLanguageOf("a/b.tsx")).toBe("typescript");
  expect(runLanguageOf("index.MJS")).toBe("javascript");
  expect(runLanguageOf("README.md")).toBeUndefined();
  expect(runLanguageOf("py")).toBeUndefined();
  expect(runLanguageOf(".py")).toBeUndefined();
});

describe("Run on the project page: refusals", () => {
  test("the page has a Run button with its shortcut and a hidden output panel", async () => {
    const { html } = await me.browser.get(`/projects/${me.project.id}`);
    expect(html).toMatch(/<button[^>]*data-run[^>]*aria-keyshortcuts="Control\+Enter Meta\+Enter"/);
    expect(html).toMatch(/<section[^>]*id="output"[^>]*hidden/);
    expect(html).toContain('role="log"');
  });

  test("without the CSRF token it is refused (403) and nothing runs", async () => {
    const res = await t.request(`/projects/${me.project.id}/run`, {
      method: "POST",
      headers: {
        cookie: me.browser.jar.header(),
        origin: "http://localhost",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ path: "index.js" }),
    });
    expect(res.status).toBe(403);
  });

  test("someone else's project is 404; a project whose entry cannot run either is 400 naming path", async () => {
    const foreign = await me.form(
      `/projects/${other.project.id}/run`,
      { path: "index.js" },
      { accept: "application/json" },
    );
    expect(foreign.status).toBe(404);
    const site = await me.client.project({ name: "Site", language: "html" });
    const res = await me.form(
      `/projects/${site.id}/run`,
      { path: "index.html" },
      { accept: "text/event-stream, application/json" },
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toStartWith("path:");
    expect(body.error.message).toContain("entry file");
  });

  test("a runner that cannot isolate answers 503 and runs nothing", async () => {
    const broken = createSandbox(
      createLocalRunner({ logger: silentLogger(), bwrapPath: "/nonexistent/bwrap", ...testInstance() }),
    );
    const app = createApp({ ...t.deps, sandbox: broken });
    const res = await app.handle(
      new Request(`http://localhost/projects/${me.project.id}/run`, {
        method: "POST",
        headers: {
          cookie: me.browser.jar.header(),
          origin: "http://localhost",
          "x-csrf-token": me.browser.token ?? "",
          "content-type": "application/x-www-form-urlencoded",
          accept: "text/event-stream, application/json",
        },
        body: new URLSearchParams({ path: "index.js" }),
      }),
    );
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("bubblewrap");
  });
});

describe.skipIf(Boolean(skip))("Run on the project page: runs", () => {
  test("streams stdout and stderr apart, then the outcome without repeating the output", async () => {
    const res = await run(me, {
      path: "src/hello.py",
      content: "import sys\nprint('out line')\nprint('err line', file=sys.stderr)\nsys.exit(3)",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const all = await messages(res);
    const text = (event: string) =>
      all
        .filter((m) => m.event === event)
        .map((m) => m.data.text)
        .join("");
    expect(text("stdout")).toBe("out line\n");
    expect(text("stderr")).toBe("err line\n");
    const exit = all.at(-1)!;
    expect(exit.event).toBe("exit");
    expect(exit.data).toMatchObject({ success: false, exitCode: 3, truncated: false });
    expect(exit.data.executionTime).toBeGreaterThan(0);
    expect(exit.data).not.toHaveProperty("stdout");
  });

  test("runs the editor's unsaved text with the project's other files beside it", async () => {
    const saved = await me.client.put(`/api/v1/projects/${me.project.id}/files/lib/greet.js`, {
      content: "export const greet = (name) => 'hello, ' + name;\n",
    });
    expect(saved.status).toBe(200);
    // index.js is stored with the template's text; the run uses what the editor holds now.
    const res = await run(me, {
      path: "index.js",
      content: "import { greet } from './lib/greet.js';\nconsole.log(greet('unsaved'));",
    });
    const all = await messages(res);
    expect(
      all
        .filter((m) => m.event === "stdout")
        .map((m) => m.data.text)
        .join(""),
    ).toBe("hello, unsaved\n");
    expect(all.at(-1)).toMatchObject({ event: "exit", data: { success: true, exitCode: 0 } });
  });

  test("with a file open that cannot run (or none), the project's entry file runs", async () => {
    for (const fields of [{ path: "README.md", content: "# not a program" }, {}] as Record<
      string,
      string
    >[]) {
      const all = await messages(await run(me, fields));
      expect(all[0]).toEqual({ event: "start", data: { path: "index.js" } });
      expect(all.at(-1)).toMatchObject({ event: "exit", data: { exitCode: 0 } });
    }
  });

  test("without content the stored file runs", async () => {
    await me.client.put(`/api/v1/projects/${me.project.id}/files/stored.ts`, {
      content: "const n: number = 6 * 7;\nconsole.log(n);\n",
    });
    const all = await messages(await run(me, { path: "stored.ts" }));
    expect(
      all
        .filter((m) => m.event === "stdout")
        .map((m) => m.data.text)
        .join(""),
    ).toBe("42\n");
  });
});
