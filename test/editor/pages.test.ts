import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { injectedElements } from "../helpers/html.ts";
import { signedInWithProject } from "./helpers.ts";

let t: TestApp;
let me: Awaited<ReturnType<typeof signedInWithProject>>;
let other: Awaited<ReturnType<typeof signedInWithProject>>;

beforeAll(async () => {
  t = await createTestApp();
  me = await signedInWithProject(t);
  other = await signedInWithProject(t);
}, 60_000);
afterAll(() => t?.close());

const id = () => me.project.id;
const enc = encodeURIComponent;
// Inside a double-quoted attribute value "<" is inert; markup elsewhere would not be.
const outsideAttributes = (html: string) => html.replace(/"[^"]*"/g, '""');

describe("the project page", () => {
  test("opens the template's entry file in the editor island, with tree, tabs and status bar", async () => {
    const { res, html } = await me.browser.get(`/projects/${id()}`);
    expect(res.status).toBe(200);
    expect(html).toContain('role="tree"');
    expect(html).toMatch(/data-editor[^>]*data-path="index.js"/);
    expect(html).toContain("data-status-language");
    expect(html).toContain("data-status-save");
    expect(html).toMatch(/<script type="module" src="\/assets\/shell\.[^"]+\.js">/);
    expect(html).toMatch(/<script type="module" src="\/assets\/editor\.[^"]+\.js">/);
  });

  test("?file= opens that file; an unknown one falls back to the entry file with a notice", async () => {
    const readme = await me.browser.get(`/projects/${id()}?file=README.md`);
    expect(readme.html).toMatch(/data-editor[^>]*data-path="README.md"/);
    const missing = await me.browser.get(`/projects/${id()}?file=nope.js`);
    expect(missing.res.status).toBe(200);
    expect(missing.html).toMatch(/data-editor[^>]*data-path="index.js"/);
    expect(missing.html).toContain("nope.js was not found");
  });

  test("the open-file fragment escapes file contents and file names", async () => {
    const content = "</textarea><script>alert(1)</script>";
    const evil = "<img src=x onerror=alert(1)>.js";
    expect((await me.put("x.js", { content, baseVersion: 0 })).status).toBe(200);
    expect((await me.put(enc(evil), { content: "1", baseVersion: 0 })).status).toBe(200);

    const open = await me.hx(`/projects/${id()}/open?file=x.js&tabs=${enc(evil)}`);
    expect(open.status).toBe(200);
    const html = await open.text();
    expect(html).toContain("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(await injectedElements(html)).toEqual([]);
    expect(outsideAttributes(html)).not.toContain("<img");

    const named = await (await me.hx(`/projects/${id()}/open?file=${enc(evil)}`)).text();
    expect(await injectedElements(named)).toEqual([]);
    expect(outsideAttributes(named)).not.toContain("<img");
    const tree = await (await me.hx(`/projects/${id()}/tree`)).text();
    expect(tree).toContain("&lt;img src=x onerror=alert(1)&gt;.js");
    expect(await injectedElements(tree)).toEqual([]);
    const page = await me.browser.get(`/projects/${id()}?file=${enc(evil)}`);
    expect(await injectedElements(page.html)).toEqual([]);
    expect(outsideAttributes(page.html)).not.toContain("<img src=x");
  });

  test("the open-file fragment keeps the tabs and drops a closed one", async () => {
    const html = await (
      await me.hx(`/projects/${id()}/open?file=README.md&tabs=index.js%0Ax.js&close=x.js`)
    ).text();
    expect(html).toContain('name="tabs" value="index.js\nREADME.md"');
    expect(html).toMatch(/aria-current="page"[^>]*>README.md/);
  });
});

describe("saving from the island", () => {
  test("a save with the current baseVersion answers {path, version, size}", async () => {
    await me.put("save.js", { content: "a", baseVersion: 0 });
    const res = await me.put("save.js", { content: "ab", baseVersion: 1 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: "save.js", version: 2, size: 2 });
  });

  test("a stale baseVersion is a JSON 409 with the current version and content", async () => {
    const res = await me.put("save.js", { content: "stale", baseVersion: 1 });
    expect(res.status).toBe(409);
    const body = (await res.json()) as {
      error: { code: string };
      current: { version: number; content: string };
    };
    expect(body.error.code).toBe("conflict");
    expect(body.current).toEqual({ version: 2, content: "ab" });
  });

  test("a save without the CSRF token is refused (403 JSON) and changes nothing", async () => {
    const res = await me.put("save.js", { content: "evil", baseVersion: 2 }, { "x-csrf-token": "" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("csrf_failed");
    const file = (await (await me.client.get(`/api/v1/projects/${id()}/files/save.js`)).json()) as {
      content: string;
    };
    expect(file.content).toBe("ab");
  });
});

describe("tree changes", () => {
  test("create a file opens it; create a folder makes <folder>/.gitkeep", async () => {
    const file = await me.form(`/projects/${id()}/files`, {
      kind: "file",
      path: "src/new.js",
      current: "index.js",
      tabs: "index.js",
    });
    expect(file.status).toBe(200);
    const html = await file.text();
    expect(html).toMatch(/data-editor[^>]*data-path="src\/new.js"/);
    expect(html).toContain("Created file src/new.js");
    const folder = await me.form(`/projects/${id()}/files`, { kind: "folder", path: "lib" });
    expect(folder.status).toBe(200);
    const list = (await (await me.client.get(`/api/v1/projects/${id()}/files`)).json()) as {
      files: { path: string }[];
    };
    expect(list.files.map((f) => f.path)).toContain("lib/.gitkeep");
    expect(await folder.text()).toMatch(/data-kind="folder"[^>]*|data-path="lib"/);
  });

  test("rename onto an existing file is a 409 and nothing changes", async () => {
    const before = await (await me.client.get(`/api/v1/projects/${id()}/files`)).text();
    const res = await me.form(`/projects/${id()}/files/rename`, { from: "src/new.js", to: "index.js" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("index.js already exists");
    expect(await (await me.client.get(`/api/v1/projects/${id()}/files`)).text()).toBe(before);
  });

  test("rename moves the open file and its tab along", async () => {
    const res = await me.form(`/projects/${id()}/files/rename`, {
      from: "src",
      to: "app",
      current: "src/new.js",
      tabs: "index.js\nsrc/new.js",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/data-editor[^>]*data-path="app\/new.js"/);
    expect(html).toContain('value="index.js\napp/new.js"');
  });

  test("the tree's folder delete takes everything under the folder; a file inside a file is a 409", async () => {
    for (const path of ["docs/a.md", "docs/deep/b.md"])
      expect((await me.form(`/projects/${id()}/files`, { kind: "file", path })).status).toBe(200);
    const res = await me.form(`/projects/${id()}/files/delete`, { path: "docs", current: "index.js" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Deleted docs");
    const list = (await (await me.client.get(`/api/v1/projects/${id()}/files`)).json()) as {
      files: { path: string }[];
    };
    expect(list.files.map((f) => f.path).filter((p) => p.startsWith("docs"))).toEqual([]);
    const inside = await me.form(`/projects/${id()}/files`, { kind: "file", path: "index.js/x.js" });
    expect(inside.status).toBe(409);
    expect(await inside.text()).toContain("index.js is a file, so it cannot also be a folder");
  });

  test("delete removes a file; deleting the open one opens another", async () => {
    const res = await me.form(`/projects/${id()}/files/delete`, {
      path: "app/new.js",
      current: "app/new.js",
      tabs: "app/new.js",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Deleted app/new.js");
    expect(html).toMatch(/data-editor[^>]*data-path="index.js"/);
    expect((await me.client.get(`/api/v1/projects/${id()}/files/app/new.js`)).status).toBe(404);
  });

  test("every POST needs the CSRF token", async () => {
    for (const [path, fields] of [
      ["files", { path: "csrf.js" }],
      ["files/rename", { from: "index.js", to: "moved.js" }],
      ["files/delete", { path: "index.js" }],
      ["history/restore", { path: "index.js", version: "1" }],
    ] as const) {
      const res = await me.form(`/projects/${id()}/${path}`, fields, { "x-csrf-token": "wrong" });
      expect(res.status).toBe(403);
    }
    expect((await me.client.get(`/api/v1/projects/${id()}/files/index.js`)).status).toBe(200);
    expect((await me.client.get(`/api/v1/projects/${id()}/files/csrf.js`)).status).toBe(404);
  });
});

describe("history", () => {
  test("lists versions newest first with a diff, and restore saves a new version", async () => {
    await me.put("h.txt", { content: "one\n", baseVersion: 0 });
    await me.put("h.txt", { content: "one\ntwo <b>\n", baseVersion: 1 });
    const panel = await (await me.hx(`/projects/${id()}/history?file=h.txt`)).text();
    expect(panel.indexOf('data-version="2"')).toBeLessThan(panel.indexOf('data-version="1"'));
    expect(panel).toContain('data-diff="del"');
    expect(panel).toContain("-two &lt;b&gt;");
    expect(await injectedElements(panel)).toEqual([]);

    const res = await me.form(`/projects/${id()}/history/restore`, {
      path: "h.txt",
      version: "1",
      current: "h.txt",
      tabs: "h.txt",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Restored version 1 as version 3");
    // The open editor is the live document's, which now holds the restored text.
    expect(html).toMatch(/data-editor[^>]*data-path="h.txt"[^>]*data-doc-id="[0-9a-f-]{36}"/);
    expect(html).toContain("<textarea hidden>\none\n</textarea>");
    const file = (await (await me.client.get(`/api/v1/projects/${id()}/files/h.txt`)).json()) as {
      content: string;
      version: number;
    };
    expect(file).toMatchObject({ content: "one\n", version: 3 });
  });
});

describe("someone else's project", () => {
  test("is a 404 on every route, and nothing changes", async () => {
    const theirs = other.project.id;
    const page = await me.browser.get(`/projects/${theirs}`);
    expect(page.res.status).toBe(404);
    for (const path of ["tree", "open?file=index.js", "history?file=index.js"]) {
      expect((await me.hx(`/projects/${theirs}/${path}`)).status).toBe(404);
    }
    const put = await t.request(`/projects/${theirs}/files/index.js`, {
      method: "PUT",
      headers: {
        cookie: me.browser.jar.header(),
        origin: "http://localhost",
        "x-csrf-token": me.browser.token ?? "",
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ content: "pwned" }),
    });
    expect(put.status).toBe(404);
    expect(((await put.json()) as { error: { code: string } }).error.code).toBe("not_found");
    for (const [path, fields] of [
      ["files", { path: "x.js" }],
      ["files/rename", { from: "index.js", to: "y.js" }],
      ["files/delete", { path: "index.js" }],
      ["history/restore", { path: "index.js", version: "1" }],
    ] as const) {
      expect((await me.form(`/projects/${theirs}/${path}`, fields)).status).toBe(404);
    }
    const file = (await (await other.client.get(`/api/v1/projects/${theirs}/files/index.js`)).json()) as {
      version: number;
    };
    expect(file.version).toBe(1);
    const list = (await (await other.client.get(`/api/v1/projects/${theirs}/files`)).json()) as {
      files: unknown[];
    };
    expect(list.files.map((f) => (f as { path: string }).path)).not.toContain("x.js");
  });

  test("signed out, the page sends you to sign in", async () => {
    const res = await t.request(`/projects/${id()}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("/login?next=");
  });
});
