import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { api } from "../helpers/projects.ts";

const servers = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

let t: TestApp;
let remote: GitServer;
beforeAll(async () => {
  t = await createTestApp({ GIT_ALLOW_PRIVATE_REMOTES: "1", RATE_LIMIT_API: "100000/15m" });
  remote = startGitServer();
}, 60_000);
afterAll(async () => {
  await remote.stop();
  await t.close();
});

async function importedProject() {
  const user = await registerUser(t);
  const client = api(t, user.auth);
  const name = `repo-${crypto.randomUUID().slice(0, 8)}`;
  const url = remote.createRepo(name, { "a.txt": "a\n" });
  const res = await client.post("/api/v1/projects/import/git", { url });
  expect(res.status).toBe(201);
  return { user, client, name, project: (await res.json()) as { id: string } };
}

test("one git operation per project at a time: another meanwhile is a 409 and changes nothing", async () => {
  const { client, project } = await importedProject();
  await client.put(`/api/v1/projects/${project.id}/files/a.txt`, { content: "b\n" });
  // Hold the project's git lease, as an operation in progress on any instance does.
  const lease = await t.deps.cache.lease(`git-op:${project.id}`, 1, 60);
  expect(lease).not.toBeNull();
  const res = await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "B" });
  expect(res.status).toBe(409);
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain("in progress");
  await lease!.release();
  expect((await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "B" })).status).toBe(201);
});

describe.skipIf(!servers)("several instances on one PostgreSQL", () => {
  test("a commit made on one instance is pushed from another", async () => {
    const { user, client, project, name } = await importedProject();
    await client.put(`/api/v1/projects/${project.id}/files/a.txt`, { content: "from A\n" });
    expect((await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "On A" })).status).toBe(
      201,
    );
    const other = t.secondInstance();
    try {
      const res = await api(other, user.auth).post(`/api/v1/projects/${project.id}/git/push`, {});
      expect(res.status).toBe(200);
      const work = remote.cloneRepo(name);
      expect(runGit(work, "log", "-1", "--format=%s")).toBe("On A");
      expect(await Bun.file(join(work, "a.txt")).text()).toBe("from A\n");
    } finally {
      await other.close();
    }
  });
});
