import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, postJson } from "../helpers/auth.ts";
import { browserSession, registerThroughForm } from "../helpers/html.ts";
import { listen } from "../helpers/server.ts";
import { readBlocks } from "./stream.ts";

describe("the project page's preview", () => {
  let t: TestApp;
  let session: Awaited<ReturnType<typeof registerThroughForm>>;
  let projectId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const account = newAccount();
    session = await registerThroughForm(t, account);
    const created = await session.post("/projects", { name: "Site", language: "html" });
    projectId =
      /\/projects\/([0-9a-f-]{36})/.exec(created.res.headers.get("location") ?? created.html)?.[1] ?? "";
    expect(projectId).not.toBe("");
  }, 60_000);
  afterAll(() => t?.close());

  const headers = () => ({ cookie: session.jar.header() });

  test("an HTML project's page offers Preview and no Run", async () => {
    const { html } = await session.get(`/projects/${projectId}`);
    expect(html).toContain(`data-preview-open="${projectId}"`);
    expect(html).not.toMatch(/data-run[\s>]/);
  });

  test("a JavaScript project with an HTML page offers Preview beside Run; viewers may preview too", async () => {
    const created = await session.post("/projects", { name: "App", language: "javascript" });
    const id =
      /\/projects\/([0-9a-f-]{36})/.exec(created.res.headers.get("location") ?? created.html)?.[1] ?? "";
    const before = await session.get(`/projects/${id}`);
    expect(before.html).not.toContain("data-preview-open");
    expect(before.html).toMatch(/data-run[\s>]/);
    await session.post(`/projects/${id}/files`, { path: "index.html", kind: "file" });
    const after = await session.get(`/projects/${id}`);
    expect(after.html).toContain(`data-preview-open="${id}"`);
    expect(after.html).toMatch(/data-run[\s>]/);

    const account = newAccount();
    const viewer = await registerThroughForm(t, account);
    const added = await session.post(`/projects/${projectId}/members`, {
      email: account.email,
      role: "viewer",
    });
    expect(added.res.status).toBeLessThan(400);
    const page = await viewer.get(`/projects/${projectId}`);
    expect(page.html).toContain(`data-preview-open="${projectId}"`);
    expect(page.html).toContain('id="output"');
    const panel = await viewer.get(`/projects/${projectId}/preview`, { "hx-request": "true" });
    expect(panel.res.status).toBe(200);
  });

  test("the panel frames the open HTML page, sandboxed, with the token in the path", async () => {
    const { res, html } = await session.get(`/projects/${projectId}/preview?file=index.html`, {
      "hx-request": "true",
    });
    expect(res.status).toBe(200);
    expect(html).toContain('sandbox="allow-scripts allow-forms allow-popups"');
    expect(html).toMatch(new RegExp(`<iframe src="/preview/${projectId}/~t\\.[\\w.-]+/index\\.html"`));
    // Not an HTML page: the project's index page.
    const other = await session.get(`/projects/${projectId}/preview?file=style.css`, {
      "hx-request": "true",
    });
    expect(other.html).toContain('data-preview-page="index.html"');
  });

  test("a stranger's session gets a 404 for the panel and for the events", async () => {
    const stranger = await registerThroughForm(t, newAccount());
    const panel = await stranger.get(`/projects/${projectId}/preview`, { "hx-request": "true" });
    expect(panel.res.status).toBe(404);
    const events = await t.request(`/projects/${projectId}/preview/events`, {
      headers: { cookie: stranger.jar.header() },
    });
    expect(events.status).toBe(404);
  });

  test("events: a token first, then a change after each stored save", async () => {
    const controller = new AbortController();
    const res = await t.request(`/projects/${projectId}/preview/events`, {
      headers: headers(),
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const seen: { event: string; data: Record<string, unknown> }[] = [];
    let changed: () => void = () => {};
    const gotChange = new Promise<void>((resolve) => {
      changed = resolve;
    });
    let gotToken: () => void = () => {};
    const tokenArrived = new Promise<void>((resolve) => {
      gotToken = resolve;
    });
    const reading = readBlocks(res, (event, data) => {
      seen.push({ event, data });
      if (event === "token") gotToken();
      if (event === "change") changed();
    });
    await tokenArrived;
    expect(seen[0]?.event).toBe("token");
    expect(typeof seen[0]?.data.token).toBe("string");
    // A save through the HTML face's save endpoint, as the island sends it.
    const put = await t.request(`/projects/${projectId}/files/style.css`, {
      method: "PUT",
      headers: {
        ...headers(),
        "content-type": "application/json",
        origin: "http://localhost",
        "x-csrf-token": session.token ?? "",
      },
      body: JSON.stringify({ content: "h1 { color: red; }\n" }),
    });
    expect(put.status).toBe(200);
    await gotChange;
    expect(seen.find((e) => e.event === "change")?.data).toEqual({ path: "style.css" });
    controller.abort();
    await reading;
  });

  test("over real HTTP, a silent stream outlives the server's idle timeout and still delivers changes", async () => {
    // Bun closes a connection silent for its idle timeout, an event stream too; here 1 s.
    const server = listen(t, { idleTimeout: 1 });
    const controller = new AbortController();
    try {
      const res = await fetch(`${server.url}/projects/${projectId}/preview/events`, {
        headers: headers(),
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const seen: string[] = [];
      let changed: () => void = () => {};
      const gotChange = new Promise<void>((resolve) => {
        changed = resolve;
      });
      let ended = false;
      const reading = readBlocks(res, (event) => {
        seen.push(event);
        if (event === "change") changed();
      }).finally(() => {
        ended = true;
        changed();
      });
      // Silent for well over the idle timeout (Bun checks it every few seconds: a silent
      // stream is cut about 4 s in).
      await Bun.sleep(6000);
      expect(ended).toBe(false);
      const put = await t.request(`/projects/${projectId}/files/style.css`, {
        method: "PUT",
        headers: {
          ...headers(),
          "content-type": "application/json",
          origin: "http://localhost",
          "x-csrf-token": session.token ?? "",
        },
        body: JSON.stringify({ content: "h1 { color: blue; }\n" }),
      });
      expect(put.status).toBe(200);
      await gotChange;
      expect(seen).toEqual(["token", "change"]);
      controller.abort();
      await reading;
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("a stream whose session signed out says gone at the next event, and ends", async () => {
    const account = newAccount();
    const other = await registerThroughForm(t, account);
    const created = await other.post("/projects", { name: "Signs out", language: "html" });
    const id = /\/projects\/([0-9a-f-]{36})/.exec(created.res.headers.get("location") ?? created.html)?.[1];
    const res = await t.request(`/projects/${id}/preview/events`, {
      headers: { cookie: other.jar.header() },
    });
    expect(res.status).toBe(200);
    const seen: string[] = [];
    let next: () => void = () => {};
    const arrived = () =>
      new Promise<void>((resolve) => {
        next = resolve;
      });
    let waiting = arrived();
    const reading = readBlocks(res, (event) => {
      seen.push(event);
      next();
    });
    await waiting;
    expect(seen).toEqual(["token"]);
    expect((await other.post("/logout", {})).res.status).toBe(303);
    // The same person, signed in elsewhere, saves a file of the project: a change to announce.
    const login = await postJson(t, "/api/v1/auth/login", {
      email: account.email,
      password: account.password,
    });
    const { token } = (await login.json()) as { token: string };
    waiting = arrived();
    const put = await t.request(`/api/v1/projects/${id}/files/style.css`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ content: "h1 { color: teal; }\n" }),
    });
    expect(put.status).toBe(200);
    await waiting;
    expect(seen).toEqual(["token", "gone"]);
    await reading; // and the stream ended
  });

  test("PREVIEW_ORIGIN must be an origin", () => {
    const dir = t.deps.config.dataDir;
    expect(
      loadConfig({ NODE_ENV: "test", DATA_DIR: dir, PREVIEW_ORIGIN: "https://preview.example.com/" })
        .previewOrigin,
    ).toBe("https://preview.example.com");
    for (const bad of [
      "preview.example.com",
      "ftp://x.example",
      "https://x.example/path",
      "https://u:p@x.example",
    ])
      expect(() => loadConfig({ NODE_ENV: "test", DATA_DIR: dir, PREVIEW_ORIGIN: bad })).toThrow(
        /PREVIEW_ORIGIN/,
      );
  });

  test("with PREVIEW_ORIGIN, preview URLs use it and the IDE's pages may frame it", async () => {
    const other = await createTestApp({ PREVIEW_ORIGIN: "https://preview.example.com" });
    try {
      const user = browserSession(other);
      const signedUp = await registerThroughForm(other, newAccount());
      const created = await signedUp.post("/projects", { name: "Site", language: "html" });
      const id = /\/projects\/([0-9a-f-]{36})/.exec(created.res.headers.get("location") ?? created.html)?.[1];
      const panel = await signedUp.get(`/projects/${id}/preview`, { "hx-request": "true" });
      expect(panel.html).toContain(`<iframe src="https://preview.example.com/preview/${id}/~t.`);
      const page = await signedUp.get(`/projects/${id}`);
      expect(page.res.headers.get("content-security-policy")).toContain(
        "frame-src 'self' https://preview.example.com",
      );
      expect(user).toBeDefined();
    } finally {
      await other.close();
    }
  }, 60_000);
});
