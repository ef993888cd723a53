import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { putFile } from "../../src/db/queries/files.ts";
import { measureContent } from "../../src/features/files/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";

let t: TestApp;
let me: ReturnType<typeof api>;
let them: ReturnType<typeof api>;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_API: "10000/1m", RATE_LIMIT_EDITOR: "10000/1m" });
  me = api(t, (await registerUser(t)).auth);
  them = api(t, (await registerUser(t)).auth);
}, 60_000);
afterAll(() => t.close());

describe("projects", () => {
  test("creating a project seeds the language's template and answers the list-item shape", async () => {
    const res = await me.post("/api/v1/projects", {
      name: "  Hello  ",
      description: "first",
      language: "python",
    });
    expect(res.status).toBe(201);
    const project = await res.json();
    expect(project).toMatchObject({ name: "Hello", description: "first", language: "python", fileCount: 2 });
    expect(Object.keys(project).sort()).toEqual([
      "description",
      "fileCount",
      "id",
      "language",
      "lastModified",
      "name",
      "role",
    ]);
    expect(project.role).toBe("owner");
    const files = await (await me.get(`/api/v1/projects/${project.id}/files`)).json();
    expect(files.files.map((f: { path: string }) => f.path)).toEqual(["README.md", "main.py"]);
  });

  test.each(["javascript", "typescript", "python", "html", "css"])(
    "every language has a template (%s)",
    async (language) => {
      const project = await me.project({ language });
      expect(project.fileCount).toBeGreaterThanOrEqual(2);
    },
  );

  test("an unknown template or language, and names out of bounds, are 400s naming the field", async () => {
    const bad = [
      [{ name: "x", language: "javascript", template: "python-starter" }, "template"],
      [{ name: "x", language: "cobol" }, "language"],
      [{ name: "", language: "javascript" }, "name"],
      [{ name: "x".repeat(101), language: "javascript" }, "name"],
      [{ name: "x", language: "javascript", description: "d".repeat(501) }, "description"],
    ] as const;
    for (const [body, field] of bad) {
      const res = await me.post("/api/v1/projects", body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain(field);
    }
  });

  test("the list pages, searches and sorts, and refuses limits outside 1–100 and pages below 1", async () => {
    const fresh = api(t, (await registerUser(t)).auth);
    for (const name of ["alpha", "beta", "gamma 50%"]) await fresh.project({ name });
    const page = await (await fresh.get("/api/v1/projects?page=2&limit=2&sort=name")).json();
    expect(page.pagination).toEqual({ page: 2, limit: 2, total: 3 });
    expect(page.projects.map((p: { name: string }) => p.name)).toEqual(["gamma 50%"]);
    const found = await (await fresh.get("/api/v1/projects?q=50%25")).json();
    expect(found.projects.map((p: { name: string }) => p.name)).toEqual(["gamma 50%"]);
    for (const query of ["limit=101", "limit=0", "page=0", "page=abc"]) {
      expect((await fresh.get(`/api/v1/projects?${query}`)).status).toBe(400);
    }
  });

  test("a page past 1,000,000 (whose offset would overflow) is a 400 naming query.page; the last allowed one is empty", async () => {
    const fresh = api(t, (await registerUser(t)).auth);
    for (const page of ["1e308", "9007199254740993", "1000001", "99999999999999999999"]) {
      const res = await fresh.get(`/api/v1/projects?page=${page}`);
      expect(res.status, page).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_request");
      expect(error.message, page).toMatch(/^query\.page: /);
    }
    const last = await fresh.get("/api/v1/projects?page=1000000&limit=100");
    expect(last.status).toBe(200);
    expect((await last.json()).projects).toEqual([]);
  });

  test("rename, then delete takes the files with it", async () => {
    const project = await me.project();
    const renamed = await (await me.patch(`/api/v1/projects/${project.id}`, { name: "Renamed" })).json();
    expect(renamed.name).toBe("Renamed");
    expect((await me.delete(`/api/v1/projects/${project.id}`)).status).toBe(204);
    expect((await me.get(`/api/v1/projects/${project.id}`)).status).toBe(404);
    expect((await me.get(`/api/v1/projects/${project.id}/files/index.js`)).status).toBe(404);
  });

  test("another user's project is a 404 on every project and file route, and stays unchanged", async () => {
    const mine = await me.project();
    const base = `/api/v1/projects/${mine.id}`;
    const attempts = [
      them.get(base),
      them.patch(base, { name: "pwned" }),
      them.delete(base),
      them.get(`${base}/files`),
      them.get(`${base}/files/index.js`),
      them.put(`${base}/files/index.js`, { content: "pwned" }),
      them.put(`${base}/files/new.js`, { content: "pwned" }),
      them.delete(`${base}/files/index.js`),
      them.post(`${base}/files/rename`, { from: "index.js", to: "x.js" }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const still = await (await me.get(`${base}/files/index.js`)).json();
    expect(still.version).toBe(1);
    expect((await (await me.get(base)).json()).name).toBe("Demo");
  });
});

describe("files", () => {
  test("save with baseVersion bumps the version; a stale baseVersion is 409 with the current file, unchanged", async () => {
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/index.js`;
    const first = await (await me.put(url, { content: "one", baseVersion: 1 })).json();
    expect(first).toEqual({ path: "index.js", version: 2, size: 3 });
    const stale = await me.put(url, { content: "two", baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect((await stale.json()).current).toEqual({ version: 2, content: "one" });
    expect(await (await me.get(url)).json()).toEqual({
      path: "index.js",
      content: "one",
      encoding: "utf8",
      version: 2,
      language: "javascript",
    });
  });

  test("concurrent first saves of one new file without baseVersion all succeed, the last one winning", async () => {
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/race/new.js`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => me.put(url, { content: `// writer ${i}` })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
    const versions = (await Promise.all(answers.map((r) => r.json()))).map(
      (b) => (b as { version: number }).version,
    );
    expect(versions.toSorted((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const stored = (await (await me.get(url)).json()) as { version: number; content: string };
    expect(stored.version).toBe(8);
    expect(stored.content).toMatch(/^\/\/ writer \d$/);
  });

  test("new files in folders are created; %2F is a separator; delete removes them", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    expect((await me.put(`${base}/src%2Flib/util.ts`, { content: "export {};" })).status).toBe(200);
    const listed = await (await me.get(base)).json();
    expect(listed.files.map((f: { path: string }) => f.path)).toContain("src/lib/util.ts");
    expect((await me.get(`${base}/src/lib/util.ts`)).status).toBe(200);
    expect((await me.delete(`${base}/src/lib/util.ts`)).status).toBe(204);
    expect((await me.get(`${base}/src/lib/util.ts`)).status).toBe(404);
  });

  test("hostile paths are 400 and nothing is stored", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    const hostile = [
      "..%2F..%2Fetc%2Fpasswd",
      "a%2F%2E%2E%2Fb",
      "a%00b",
      "a%5Cb",
      "a//b",
      "%2Fetc",
      "a%0Ab",
      "%ZZ",
      "x".repeat(501),
    ];
    for (const path of hostile) {
      const res = await me.put(`${base}/${path}`, { content: "x" });
      expect(res.status, path).toBe(400);
    }
    // A literal dot-segment is resolved by URL parsing before any route sees it (see docs):
    // it can only ever reach a different, non-matching URL.
    expect((await me.put(`${base}/%2E%2E/%2E%2E/x`, { content: "x" })).status).toBe(404);
    const listed = await (await me.get(base)).json();
    expect(listed.files).toHaveLength(2);
  });

  test("exactly 1 MiB of UTF-8 is accepted, one byte more is 413, and the old content survives", async () => {
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/big.txt`;
    const mib = 1024 * 1024;
    const exact = "é".repeat(mib / 2);
    expect((await me.put(url, { content: exact })).status).toBe(200);
    const over = await me.put(url, { content: `${exact}x` });
    expect(over.status).toBe(413);
    expect((await (await me.get(url)).json()).content.length).toBe(mib / 2);
  });

  test("lone surrogates and bytes that are not UTF-8, and NUL (binary), are refused with 400", async () => {
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/bad.txt`;
    for (const raw of ['{"content":"\\ud800"}', '{"content":"a\\u0000b"}']) {
      const res = await t.request(url, {
        method: "PUT",
        headers: { ...meAuth(), "content-type": "application/json" },
        body: raw,
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toContain("content");
    }
    // Bytes that are not UTF-8 at all are refused as the body's fault, before any field is read.
    const invalid = Buffer.concat([
      Buffer.from('{"content":"a'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const res = await t.request(url, {
      method: "PUT",
      headers: { ...meAuth(), "content-type": "application/json" },
      body: invalid,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({
      code: "invalid_request",
      message: "body: is not valid UTF-8",
    });
    expect((await me.get(url)).status).toBe(404);
  });

  test("renaming onto an existing file is 409 and changes nothing; a folder moves with its files", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    await me.put(`${base}/lib/a.js`, { content: "a" });
    const clash = await me.post(`${base}/rename`, { from: "lib/a.js", to: "index.js" });
    expect(clash.status).toBe(409);
    expect((await (await me.get(`${base}/lib/a.js`)).json()).content).toBe("a");
    const moved = await (await me.post(`${base}/rename`, { from: "lib", to: "src/lib" })).json();
    expect(moved.paths).toEqual(["src/lib/a.js"]);
    expect((await me.get(`${base}/src/lib/a.js`)).status).toBe(200);
  });

  test("a path is a file or a folder, never both: saves and renames that would make it both are 409s naming the clash", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    expect((await me.put(`${base}/conf`, { content: "x" })).status).toBe(200);
    const under = await me.put(`${base}/conf/b.txt`, { content: "y" });
    expect(under.status).toBe(409);
    expect((await under.json()).error).toEqual({
      code: "conflict",
      message: "conf/b.txt: conf is a file, so it cannot also be a folder",
    });
    expect((await me.put(`${base}/lib/util.js`, { content: "u" })).status).toBe(200);
    const over = await me.put(`${base}/lib`, { content: "z" });
    expect(over.status).toBe(409);
    expect((await over.json()).error.message).toBe(
      "lib: is a folder (it holds lib/util.js), so it cannot also be a file",
    );
    // Renaming a file onto a folder, a file under a file, or a folder under a file.
    const renames = [
      [{ from: "index.js", to: "lib" }, "lib/util.js: lib is a file, so it cannot also be a folder"],
      [
        { from: "index.js", to: "conf/index.js" },
        "conf/index.js: conf is a file, so it cannot also be a folder",
      ],
      [{ from: "lib", to: "conf/lib" }, "conf/lib/util.js: conf is a file, so it cannot also be a folder"],
    ] as const;
    for (const [body, message] of renames) {
      const res = await me.post(`${base}/rename`, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect((await res.json()).error.message).toBe(message);
    }
    const paths = (await (await me.get(base)).json()).files.map((f: { path: string }) => f.path);
    expect(paths).toEqual(["README.md", "conf", "index.js", "lib/util.js"]);
  });

  test("two racing saves cannot make one path a file and a folder", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    for (let round = 0; round < 6; round++) {
      const [file, inside] = await Promise.all([
        me.put(`${base}/race${round}`, { content: "file" }),
        me.put(`${base}/race${round}/inner.txt`, { content: "inside" }),
      ]);
      expect([file.status, inside.status].sort()).toEqual([200, 409]);
    }
  });

  test("deleting a file deletes that file only; deleting a folder deletes what is under it", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    // A file and a folder at one path, as stored before the rule existed.
    const owner = (await (await t.request("/api/v1/auth/me", { headers: meAuth() })).json()).user.id;
    const db = await t.deps.db.get();
    for (const path of ["conf", "conf/b.txt"])
      await db.transaction((tx) =>
        putFile(tx, project.id, path, measureContent(path, path), { current: undefined, userId: owner }),
      );
    expect((await me.delete(`${base}/conf`)).status).toBe(204);
    expect((await me.get(`${base}/conf/b.txt`)).status).toBe(200);
    await me.put(`${base}/conf/c.txt`, { content: "c" });
    expect((await me.delete(`${base}/conf`)).status).toBe(204);
    expect((await me.get(`${base}/conf/b.txt`)).status).toBe(404);
    expect((await me.get(`${base}/conf/c.txt`)).status).toBe(404);
    expect((await me.delete(`${base}/conf`)).status).toBe(404);
  });

  test("a file deleted and created again never takes a base version of the old one", async () => {
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/notes.md`;
    for (const content of ["one", "two", "three"]) await me.put(url, { content });
    expect((await me.delete(url)).status).toBe(204);
    // Created again, its versions continue above the deleted file's last (3).
    expect(await (await me.put(url, { content: "fresh" })).json()).toEqual({
      path: "notes.md",
      version: 4,
      size: 5,
    });
    for (const stale of [1, 2, 3]) {
      const res = await me.put(url, { content: "from an old tab", baseVersion: stale });
      expect(res.status, `baseVersion ${stale}`).toBe(409);
      expect((await res.json()).current).toEqual({ version: 4, content: "fresh" });
    }
    expect((await me.put(url, { content: "next", baseVersion: 4 })).status).toBe(200);
    // A folder's files keep their numbers the same way.
    await me.put(`/api/v1/projects/${project.id}/files/docs/a.md`, { content: "a" });
    await me.put(`/api/v1/projects/${project.id}/files/docs/a.md`, { content: "b" });
    expect((await me.delete(`/api/v1/projects/${project.id}/files/docs`)).status).toBe(204);
    const again = await me.put(`/api/v1/projects/${project.id}/files/docs/a.md`, {
      content: "c",
      baseVersion: 0,
    });
    expect((await again.json()).version).toBe(3);
  });

  test("a file moved onto a deleted file's path continues above it, and its old path keeps its numbers", async () => {
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    for (const content of ["1", "2", "3", "4"]) await me.put(`${base}/b.js`, { content });
    expect((await me.delete(`${base}/b.js`)).status).toBe(204);
    await me.put(`${base}/a.js`, { content: "a" });
    expect((await me.post(`${base}/rename`, { from: "a.js", to: "b.js" })).status).toBe(200);
    const moved = await (await me.get(`${base}/b.js`)).json();
    expect(moved).toMatchObject({ content: "a", version: 5 });
    expect((await me.put(`${base}/b.js`, { content: "stale", baseVersion: 1 })).status).toBe(409);
    // a.js reached version 1 before it moved: a new a.js starts at 2.
    expect((await (await me.put(`${base}/a.js`, { content: "new" })).json()).version).toBe(2);
    const { fileHistory } = await import("../../src/features/files/service.ts");
    const owner = (await (await t.request("/api/v1/auth/me", { headers: meAuth() })).json()).user.id;
    const { versions } = await fileHistory(t.deps, owner, project.id, "b.js", { withContent: true });
    expect(versions.map((v) => [v.version, v.content])).toEqual([
      [5, "a"],
      [1, "a"],
    ]);
  });

  test("history keeps the last 50 versions of a file", async () => {
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/index.js`;
    for (let i = 0; i < 55; i++) await me.put(url, { content: `v${i}` });
    const { fileHistory } = await import("../../src/features/files/service.ts");
    const owner = (await (await t.request("/api/v1/auth/me", { headers: meAuth() })).json()).user.id;
    const { versions } = await fileHistory(t.deps, owner, project.id, "index.js");
    expect(versions).toHaveLength(50);
    expect(versions[0]!.version).toBe(56);
    expect(versions.at(-1)!.version).toBe(7);
  });
});

let meHeaders: { authorization: string } | undefined;
function meAuth() {
  return meHeaders!;
}
beforeAll(async () => {
  const user = await registerUser(t);
  me = api(t, user.auth);
  meHeaders = user.auth;
});
