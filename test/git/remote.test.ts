import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { api } from "../helpers/projects.ts";
import { listen } from "../helpers/server.ts";

type Client = ReturnType<typeof api>;
type Imported = { id: string; name: string; fileCount: number; skipped: { path: string; reason: string }[] };
type Status = {
  branch: string;
  remote: string;
  ahead: number;
  behind: number;
  changes: { path: string; status: string }[];
};

let t: TestApp;
let remote: GitServer;
beforeAll(async () => {
  t = await createTestApp({
    GIT_ALLOW_PRIVATE_REMOTES: "1",
    RATE_LIMIT_REGISTER: "1000/1h",
    RATE_LIMIT_API: "100000/15m",
  });
  remote = startGitServer();
}, 60_000);
afterAll(async () => {
  await remote.stop();
  await t.close();
});

let repoCount = 0;
/** A fresh remote repository with a few files, imported by a fresh user. */
async function imported(files: Record<string, string | Uint8Array> = {}) {
  const user = await registerUser(t, { firstName: "Grace", lastName: "Hopper" });
  const client = api(t, user.auth);
  const name = `repo${++repoCount}`;
  const url = remote.createRepo(name, {
    "README.md": "# Hello\n",
    "src/index.js": "console.log('hi');\n",
    ...files,
  });
  const res = await client.post("/api/v1/projects/import/git", { url });
  expect(res.status).toBe(201);
  return { user, client, name, url, project: (await res.json()) as Imported };
}

const statusOf = async (client: Client, id: string) => {
  const res = await client.get(`/api/v1/projects/${id}/git/status`);
  expect(res.status).toBe(200);
  return (await res.json()) as Status;
};

const read = async (client: Client, id: string, path: string) =>
  ((await (await client.get(`/api/v1/projects/${id}/files/${path}`)).json()) as { content: string }).content;

describe("importing a repository", () => {
  test("clones the default branch into a new project and remembers the remote", async () => {
    const big = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
    const { client, project, url } = await imported({
      "logo.png": new Uint8Array([137, 80, 78, 71, 0, 1]),
      "big.bin": big,
    });
    expect(project).toMatchObject({ name: expect.stringMatching(/^repo\d+$/), role: "owner", fileCount: 3 });
    expect(project.skipped).toEqual([{ path: "big.bin", reason: "over the 5 MiB file limit" }]);
    expect(await read(client, project.id, "src/index.js")).toBe("console.log('hi');\n");
    const status = await statusOf(client, project.id);
    // A file the project could not hold is no deletion.
    expect(status).toEqual({ branch: "main", remote: url, ahead: 0, behind: 0, changes: [] });
  });

  test("a named branch is cloned; a missing one is a 400 naming the field", async () => {
    const user = await registerUser(t);
    const client = api(t, user.auth);
    const url = remote.createRepo("branches", { "a.txt": "main\n" });
    const work = remote.cloneRepo("branches");
    runGit(work, "checkout", "-q", "-b", "feature");
    writeFileSync(join(work, "a.txt"), "feature\n");
    runGit(work, "commit", "-q", "-am", "On feature");
    runGit(work, "push", "-q", "origin", "feature");
    const res = await client.post("/api/v1/projects/import/git", { url, branch: "feature" });
    expect(res.status).toBe(201);
    const project = (await res.json()) as Imported;
    expect(await read(client, project.id, "a.txt")).toBe("feature\n");
    expect((await statusOf(client, project.id)).branch).toBe("feature");
    const missing = await client.post("/api/v1/projects/import/git", { url, branch: "nope" });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toStartWith("branch:");
  });

  test("an empty repository, or a default branch with no commits, is a 400 naming the field and leaves no project", async () => {
    const client = api(t, (await registerUser(t)).auth);
    const empty = remote.createEmptyRepo("empty");
    const unborn = remote.createRepo("unborn", { "a.txt": "a\n" });
    // The default branch (HEAD) names one nobody has pushed to; main has the commits, but
    // isomorphic-git cannot clone past a missing HEAD, so naming main does not help.
    runGit(join(remote.root, "unborn.git"), "symbolic-ref", "HEAD", "refs/heads/develop");
    const withMain = remote.createRepo("with-main", { "a.txt": "a\n" });
    for (const [body, says] of [
      [{ url: empty }, "url: the repository is empty"],
      [{ url: empty, branch: "main" }, "url: the repository is empty"],
      [{ url: unborn }, "url: the repository's default branch has no commits"],
      [{ url: unborn, branch: "main" }, "url: the repository's default branch has no commits"],
      [{ url: withMain, branch: "develop" }, 'branch: the remote has no branch "develop"'],
    ] as const) {
      const res = await client.post("/api/v1/projects/import/git", body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toStartWith(says);
    }
    const listed = (await (await client.get("/api/v1/projects")).json()) as { pagination: { total: number } };
    expect(listed.pagination.total).toBe(0);
  });
});

describe("commit, push and pull", () => {
  test("an edit is committed with the user as author and pushed to the remote", async () => {
    const { user, client, project, name } = await imported();
    expect(
      (
        await client.put(`/api/v1/projects/${project.id}/files/src/index.js`, {
          content: "console.log('bye');\n",
        })
      ).status,
    ).toBe(200);
    expect(
      (await client.put(`/api/v1/projects/${project.id}/files/NEW.md`, { content: "new\n" })).status,
    ).toBe(200);
    expect((await client.delete(`/api/v1/projects/${project.id}/files/README.md`)).status).toBe(204);
    expect((await statusOf(client, project.id)).changes).toEqual([
      { path: "NEW.md", status: "added" },
      { path: "README.md", status: "deleted" },
      { path: "src/index.js", status: "modified" },
    ]);
    const committed = await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "Say bye" });
    expect(committed.status).toBe(201);
    const { oid } = (await committed.json()) as { oid: string };
    expect(await statusOf(client, project.id)).toMatchObject({ ahead: 1, behind: 0, changes: [] });
    const again = await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "Nothing" });
    expect(again.status).toBe(409);

    const pushed = await client.post(`/api/v1/projects/${project.id}/git/push`, {});
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toEqual({ oid });
    expect((await statusOf(client, project.id)).ahead).toBe(0);

    const work = remote.cloneRepo(name);
    expect(runGit(work, "log", "-1", "--format=%H|%an|%ae|%s")).toBe(
      `${oid}|Grace Hopper|${user.email}|Say bye`,
    );
    expect(await Bun.file(join(work, "src/index.js")).text()).toBe("console.log('bye');\n");
    expect(await Bun.file(join(work, "NEW.md")).text()).toBe("new\n");
    expect(await Bun.file(join(work, "README.md")).exists()).toBe(false);
  });

  test("a commit made with the CLI is pulled into the project's files; an open editor of a file it deleted is told", async () => {
    const { client, project, name, user } = await imported();
    const server = listen(t);
    const editorOn = (path: string) => {
      const ws = new WebSocket(
        `${server.url.replace(/^http/, "ws")}/api/v1/collab/${project.id}/${path}?token=${user.token}`,
      );
      const opened = new Promise((resolve) => ws.addEventListener("open", resolve));
      const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
      return { opened, closed };
    };
    const index = editorOn("src/index.js");
    await index.opened;
    const work = remote.cloneRepo(name);
    writeFileSync(join(work, "README.md"), "# Changed by the CLI\n");
    writeFileSync(join(work, "added.txt"), "from the CLI\n");
    runGit(work, "rm", "-q", "src/index.js");
    runGit(work, "add", "-A");
    runGit(work, "commit", "-q", "-m", "From the CLI");
    runGit(work, "push", "-q", "origin", "main");
    const head = runGit(work, "rev-parse", "HEAD");

    const pulled = await client.post(`/api/v1/projects/${project.id}/git/pull`, {});
    expect(pulled.status).toBe(200);
    expect(await pulled.json()).toEqual({ oid: head });
    expect(await read(client, project.id, "README.md")).toBe("# Changed by the CLI\n");
    expect(await read(client, project.id, "added.txt")).toBe("from the CLI\n");
    expect((await client.get(`/api/v1/projects/${project.id}/files/src/index.js`)).status).toBe(404);
    expect(await statusOf(client, project.id)).toMatchObject({ ahead: 0, behind: 0, changes: [] });
    // The deleted file's editor is told it is gone (a changed file's takes the pull as an edit).
    expect(await index.closed).toBe(4404);
    await server.stop();

    // Then a commit here goes on top of the pulled one.
    await client.put(`/api/v1/projects/${project.id}/files/added.txt`, { content: "edited here\n" });
    expect(
      (await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "On top" })).status,
    ).toBe(201);
    expect((await client.post(`/api/v1/projects/${project.id}/git/push`, {})).status).toBe(200);
    runGit(work, "pull", "-q", "--ff-only");
    expect(runGit(work, "log", "-1", "--format=%s")).toBe("On top");
  });

  test("a file pulled over the limit leaves the project, and later commits keep it as the remote has it", async () => {
    const { client, project, name } = await imported();
    const work = remote.cloneRepo(name);
    const big = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 13) % 251);
    writeFileSync(join(work, "README.md"), big);
    runGit(work, "commit", "-q", "-am", "Huge readme");
    runGit(work, "push", "-q", "origin", "main");
    expect((await client.post(`/api/v1/projects/${project.id}/git/pull`, {})).status).toBe(200);
    expect((await client.get(`/api/v1/projects/${project.id}/files/README.md`)).status).toBe(404);
    expect((await statusOf(client, project.id)).changes).toEqual([]);

    await client.put(`/api/v1/projects/${project.id}/files/src/index.js`, { content: "// small\n" });
    expect(
      (await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "Small" })).status,
    ).toBe(201);
    expect((await client.post(`/api/v1/projects/${project.id}/git/push`, {})).status).toBe(200);
    runGit(work, "pull", "-q", "--ff-only");
    expect(runGit(work, "log", "-1", "--format=%s")).toBe("Small");
    expect(Bun.file(join(work, "README.md")).size).toBe(big.byteLength);
  });

  test("a push the remote would not fast-forward is a 409, and so is a pull that would need a merge", async () => {
    const { client, project, name } = await imported();
    const work = remote.cloneRepo(name);
    writeFileSync(join(work, "cli.txt"), "cli\n");
    runGit(work, "add", "-A");
    runGit(work, "commit", "-q", "-m", "CLI meanwhile");
    runGit(work, "push", "-q", "origin", "main");
    await client.put(`/api/v1/projects/${project.id}/files/README.md`, { content: "# Mine\n" });
    expect((await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "Mine" })).status).toBe(
      201,
    );

    const pushed = await client.post(`/api/v1/projects/${project.id}/git/push`, {});
    expect(pushed.status).toBe(409);
    expect(((await pushed.json()) as { error: { message: string } }).error.message).toContain("pull");
    const pulled = await client.post(`/api/v1/projects/${project.id}/git/pull`, {});
    expect(pulled.status).toBe(409);
    expect(((await pulled.json()) as { error: { message: string } }).error.message).toContain("diverged");
    // The remote is unchanged.
    runGit(work, "fetch", "-q");
    expect(runGit(work, "log", "-1", "--format=%s", "origin/main")).toBe("CLI meanwhile");
  });

  test("a pull that would overwrite uncommitted changes is a 409 and changes nothing", async () => {
    const { client, project, name } = await imported();
    const work = remote.cloneRepo(name);
    writeFileSync(join(work, "README.md"), "# Theirs\n");
    runGit(work, "commit", "-q", "-am", "Theirs");
    runGit(work, "push", "-q", "origin", "main");
    await client.put(`/api/v1/projects/${project.id}/files/README.md`, { content: "# Unsaved mine\n" });
    const pulled = await client.post(`/api/v1/projects/${project.id}/git/pull`, {});
    expect(pulled.status).toBe(409);
    expect(await read(client, project.id, "README.md")).toBe("# Unsaved mine\n");
  });
});

describe("who may use git", () => {
  test("someone else gets 404; a viewer reads the status but may not commit, push or pull", async () => {
    const { client, project } = await imported();
    const stranger = api(t, (await registerUser(t)).auth);
    for (const res of [
      await stranger.get(`/api/v1/projects/${project.id}/git/status`),
      await stranger.post(`/api/v1/projects/${project.id}/git/commit`, { message: "x" }),
      await stranger.post(`/api/v1/projects/${project.id}/git/push`, {}),
      await stranger.post(`/api/v1/projects/${project.id}/git/pull`, {}),
    ])
      expect(res.status).toBe(404);
    const viewer = await registerUser(t);
    await client.post(`/api/v1/projects/${project.id}/members`, { email: viewer.email, role: "viewer" });
    const asViewer = api(t, viewer.auth);
    expect((await asViewer.get(`/api/v1/projects/${project.id}/git/status`)).status).toBe(200);
    await client.put(`/api/v1/projects/${project.id}/files/README.md`, { content: "# Changed\n" });
    for (const res of [
      await asViewer.post(`/api/v1/projects/${project.id}/git/commit`, { message: "x" }),
      await asViewer.post(`/api/v1/projects/${project.id}/git/push`, {}),
      await asViewer.post(`/api/v1/projects/${project.id}/git/pull`, {}),
    ])
      expect(res.status).toBe(403);
  });
});
