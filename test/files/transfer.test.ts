import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { unzipSync, zipSync } from "fflate";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";

let t: TestApp;
let me: ReturnType<typeof api>;
let auth: { authorization: string };
let them: ReturnType<typeof api>;
let themAuth: { authorization: string };
let viewerAuth: { authorization: string };
let viewerEmail: string;

// A 1×1 PNG, with bytes (0x89, NUL, …) that are no UTF-8 text.
const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  ),
);

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_API: "10000/1m", RATE_LIMIT_EDITOR: "10000/1m" });
  const mine = await registerUser(t);
  auth = mine.auth;
  me = api(t, auth);
  const theirs = await registerUser(t);
  themAuth = theirs.auth;
  them = api(t, themAuth);
  const viewer = await registerUser(t);
  viewerAuth = viewer.auth;
  viewerEmail = viewer.email;
}, 60_000);
afterAll(() => t.close());

function upload(
  projectId: string,
  files: { name: string; bytes: Uint8Array | string; path?: string }[],
  as = auth,
  folder?: string,
) {
  const form = new FormData();
  for (const f of files) {
    form.append("file", new File([typeof f.bytes === "string" ? f.bytes : Buffer.from(f.bytes)], f.name));
    if (f.path) form.append("path", f.path);
  }
  if (folder) form.append("folder", folder);
  return t.request(`/api/v1/projects/${projectId}/files/upload`, { method: "POST", headers: as, body: form });
}

function importZip(body: Uint8Array, as = auth, query = "") {
  return t.request(`/api/v1/projects/import${query}`, {
    method: "POST",
    headers: { ...as, "content-type": "application/zip" },
    body: Buffer.from(body),
  });
}

async function projectCount(as = auth) {
  const res = await t.request("/api/v1/projects?limit=100", { headers: as });
  return ((await res.json()) as { pagination: { total: number } }).pagination.total;
}

describe("uploads", () => {
  test("a text file and a binary file round-trip byte for byte", async () => {
    const project = await me.project();
    const res = await upload(project.id, [
      { name: "notes.txt", bytes: "héllo\nworld\n", path: "notes.txt" },
      { name: "logo.png", bytes: PNG, path: "img/logo.png" },
    ]);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.files).toEqual([
      { path: "notes.txt", version: 1, size: Buffer.byteLength("héllo\nworld\n"), binary: false },
      { path: "img/logo.png", version: 1, size: PNG.byteLength, binary: true },
    ]);

    const text = await me.get(`/api/v1/projects/${project.id}/files/notes.txt`);
    expect((await text.json()).content).toBe("héllo\nworld\n");

    const raw = await me.get(`/api/v1/projects/${project.id}/raw/img/logo.png`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("image/png");
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(PNG);

    const download = await me.get(`/api/v1/projects/${project.id}/raw/notes.txt`);
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(download.headers.get("content-disposition")).toStartWith("attachment;");
    expect(await download.text()).toBe("héllo\nworld\n");

    const listing = await (await me.get(`/api/v1/projects/${project.id}/files`)).json();
    expect(listing.files.find((f: { path: string }) => f.path === "img/logo.png").size).toBe(PNG.byteLength);
  });

  test("the JSON read of a binary file says so instead of answering garbage text", async () => {
    const project = await me.project();
    await upload(project.id, [{ name: "logo.png", bytes: PNG }]);
    const res = await me.get(`/api/v1/projects/${project.id}/files/logo.png`);
    const file = await res.json();
    expect(file.encoding).toBe("base64");
    expect(Buffer.from(file.content, "base64")).toEqual(Buffer.from(PNG));
  });

  test("a binary file saved as base64 through the JSON face reads back the same", async () => {
    const project = await me.project();
    const content = Buffer.from(PNG).toString("base64");
    const saved = await me.put(`/api/v1/projects/${project.id}/files/pic.png`, {
      content,
      encoding: "base64",
    });
    expect(saved.status).toBe(200);
    expect((await saved.json()).size).toBe(PNG.byteLength);
    const raw = await me.get(`/api/v1/projects/${project.id}/raw/pic.png`);
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(PNG);
    const bad = await me.put(`/api/v1/projects/${project.id}/files/x.bin`, {
      content: "%%%",
      encoding: "base64",
    });
    expect(bad.status).toBe(400);
  });

  test("uploading over a file makes a new version; a folder field places files without a path", async () => {
    const project = await me.project();
    await upload(project.id, [{ name: "a.txt", bytes: "one" }], auth, "docs");
    const res = await upload(project.id, [{ name: "a.txt", bytes: "two" }], auth, "docs/");
    expect((await res.json()).files).toEqual([{ path: "docs/a.txt", version: 2, size: 3, binary: false }]);
  });

  test("a bad path, a clash or a file over its limit stores none of the upload", async () => {
    const project = await me.project();
    const bad = await upload(project.id, [
      { name: "ok.txt", bytes: "fine", path: "ok.txt" },
      { name: "x", bytes: "no", path: "../escape.txt" },
    ]);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("..");

    const unpaired = await upload(project.id, [
      { name: "one.txt", bytes: "1", path: "one.txt" },
      { name: "two.txt", bytes: "2" },
    ]);
    expect(unpaired.status).toBe(400);
    expect((await unpaired.json()).error.message).toContain("one path per file");

    const clash = await upload(project.id, [
      { name: "a", bytes: "file", path: "a" },
      { name: "b", bytes: "under", path: "a/b" },
    ]);
    expect(clash.status).toBe(409);

    const big = await upload(project.id, [
      { name: "ok.txt", bytes: "fine" },
      { name: "big.bin", bytes: new Uint8Array(5 * 1024 * 1024 + 1) },
    ]);
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toContain("big.bin");

    const listing = await (await me.get(`/api/v1/projects/${project.id}/files`)).json();
    expect(listing.files.map((f: { path: string }) => f.path)).not.toContain("ok.txt");
  });

  test("non-members get 404 and viewers 403", async () => {
    const project = await me.project();
    const added = await me.post(`/api/v1/projects/${project.id}/members`, {
      email: viewerEmail,
      role: "viewer",
    });
    expect(added.status).toBe(201);
    expect((await upload(project.id, [{ name: "x.txt", bytes: "x" }], themAuth)).status).toBe(404);
    expect((await upload(project.id, [{ name: "x.txt", bytes: "x" }], viewerAuth)).status).toBe(403);
    expect((await them.get(`/api/v1/projects/${project.id}/raw/README.md`)).status).toBe(404);
    expect((await them.get(`/api/v1/projects/${project.id}/archive`)).status).toBe(404);
    const viewer = api(t, viewerAuth);
    expect((await viewer.get(`/api/v1/projects/${project.id}/archive`)).status).toBe(200);
    expect((await viewer.get(`/api/v1/projects/${project.id}/raw/README.md`)).status).toBe(200);
  });
});

describe("archives", () => {
  test("the archive holds every file, text and binary, as stored", async () => {
    const project = await me.project({ name: "Zip me" });
    await upload(project.id, [{ name: "logo.png", bytes: PNG, path: "assets/logo.png" }]);
    const res = await me.get(`/api/v1/projects/${project.id}/archive`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain('filename="Zip me.zip"');
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const listing = await (await me.get(`/api/v1/projects/${project.id}/files`)).json();
    expect(Object.keys(entries).sort()).toEqual(listing.files.map((f: { path: string }) => f.path).sort());
    expect(entries["assets/logo.png"]).toEqual(PNG);
    for (const { path } of listing.files.filter((f: { path: string }) => f.path.endsWith(".md"))) {
      const file = await (await me.get(`/api/v1/projects/${project.id}/files/${path}`)).json();
      expect(new TextDecoder().decode(entries[path])).toBe(file.content);
    }
  });

  test("an exported project imports as a new project with the same files", async () => {
    const project = await me.project({ name: "Round trip" });
    await upload(project.id, [{ name: "logo.png", bytes: PNG, path: "assets/logo.png" }]);
    const zip = new Uint8Array(await (await me.get(`/api/v1/projects/${project.id}/archive`)).arrayBuffer());
    const res = await importZip(zip, auth, "?name=Copy");
    expect(res.status).toBe(201);
    const copy = await res.json();
    expect(copy).toMatchObject({
      name: "Copy",
      language: "javascript",
      role: "owner",
      fileCount: project.fileCount + 1,
    });
    const raw = await me.get(`/api/v1/projects/${copy.id}/raw/assets/logo.png`);
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(PNG);
  });

  test("a multipart import takes its name from the file", async () => {
    const form = new FormData();
    const zip = zipSync({ "main.py": new TextEncoder().encode("print(1)\n") });
    form.append("file", new File([Buffer.from(zip)], "my app.zip"));
    const res = await t.request("/api/v1/projects/import", { method: "POST", headers: auth, body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ name: "my app", language: "python", fileCount: 1 });
  });
});

/** Set every uncompressed-size field of a .zip (local headers and central directory) to `size`. */
function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
    else if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
  }
  return out;
}

describe("imports refused", () => {
  const refusals: [string, () => Uint8Array, string][] = [
    ["a zip slip with ..", () => zipSync({ "../evil.sh": new Uint8Array([1]) }), ".. segments"],
    [
      "a zip slip with an absolute path",
      () => zipSync({ "/etc/evil": new Uint8Array([1]) }),
      "absolute path",
    ],
    [
      "too many entries",
      () =>
        zipSync(
          Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}.txt`, new Uint8Array([65])])),
        ),
      "more than 1000 files",
    ],
    [
      "a bomb whose declared size is over the limit",
      () => zipSync({ "zeros.bin": new Uint8Array(51 * 1024 * 1024) }, { level: 9 }),
      "over the 5 MiB file limit",
    ],
    [
      "a bomb whose directory lies about its size",
      () => lieAboutSizes(zipSync({ "zeros.bin": new Uint8Array(20 * 1024 * 1024) }, { level: 9 }), 10),
      "zip bomb",
    ],
    ["something that is no zip", () => new TextEncoder().encode("hello, not a zip"), "not a readable .zip"],
  ];

  for (const [what, make, message] of refusals)
    test(`${what} is a 400 naming it, and leaves no project behind`, async () => {
      const before = await projectCount();
      const res = await importZip(make());
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.message).toContain(message);
      expect(await projectCount()).toBe(before);
    });

  test("an archive whose files are fine one by one but over the project limit together is refused whole", async () => {
    const before = await projectCount();
    const files = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`part${i}.bin`, new Uint8Array(5 * 1024 * 1024).fill(i + 1)]),
    );
    const res = await importZip(zipSync(files, { level: 1 }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("project limit");
    expect(await projectCount()).toBe(before);
  });

  test("a body over 20 MiB is a 413", async () => {
    const res = await importZip(new Uint8Array(20 * 1024 * 1024 + 1));
    expect(res.status).toBe(413);
  });

  test("a refusal inside the transaction leaves nothing partial behind", async () => {
    // Each file passes the archive checks; the owner's storage quota refuses the third.
    const small = await createTestApp({ USER_STORAGE_QUOTA: "3MiB" });
    try {
      const user = await registerUser(small);
      const count = async () =>
        (await (await small.request("/api/v1/projects", { headers: user.auth })).json()).pagination.total;
      const before = await count();
      const files = Object.fromEntries(
        Array.from({ length: 3 }, (_, i) => [`p${i}.bin`, new Uint8Array(1024 * 1024 + 1).fill(i + 1)]),
      );
      const res = await small.request("/api/v1/projects/import", {
        method: "POST",
        headers: { ...user.auth, "content-type": "application/zip" },
        body: Buffer.from(zipSync(files, { level: 1 })),
      });
      expect(res.status).toBe(413);
      expect(await count()).toBe(before);
    } finally {
      await small.close();
    }
  });
});
