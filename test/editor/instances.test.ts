import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";

/**
 * Reads are memoized per instance (src/adapters/cache/memo.ts); a write on one instance must be
 * seen by the next read on another. Two app instances share one PostgreSQL database and one
 * Redis, as two binaries behind a load balancer would.
 */
const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
if (!shared) console.warn("memo coherence across instances skipped: needs DATABASE_URL and REDIS_URL");

describe.if(shared)("two instances over one database and one cache", () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = a.secondInstance();
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  test("a file saved, a project renamed and a project deleted on one are seen on the other", async () => {
    const user = await registerUser(a);
    const onA = api(a, user.auth);
    const onB = api(b, user.auth);
    const project = await onA.project({ name: "Before" });
    const file = `/api/v1/projects/${project.id}/files/src/shared.js`;
    expect((await onA.put(file, { content: "one" })).status).toBe(200);
    // Warm B's memo: several reads of the file, the listing and the project.
    for (let i = 0; i < 3; i++) {
      expect(((await (await onB.get(file)).json()) as { content: string }).content).toBe("one");
      await onB.get("/api/v1/projects");
      await onB.get(`/api/v1/projects/${project.id}`);
    }

    expect((await onA.put(file, { content: "two", baseVersion: 1 })).status).toBe(200);
    const read = (await (await onB.get(file)).json()) as { content: string; version: number };
    expect(read).toMatchObject({ content: "two", version: 2 });

    expect((await onA.patch(`/api/v1/projects/${project.id}`, { name: "After" })).status).toBe(200);
    const list = (await (await onB.get("/api/v1/projects")).json()) as { projects: { name: string }[] };
    expect(list.projects.map((p) => p.name)).toEqual(["After"]);

    expect((await onA.delete(`/api/v1/projects/${project.id}`)).status).toBe(204);
    expect((await onB.get(`/api/v1/projects/${project.id}`)).status).toBe(404);
    expect((await onB.get(file)).status).toBe(404);
  });

  test("an editor's save is seen by the owner at once, and a removed member loses access at once, on the other", async () => {
    const owner = await registerUser(a);
    const member = await registerUser(a);
    const ownerA = api(a, owner.auth);
    const ownerB = api(b, owner.auth);
    const memberA = api(a, member.auth);
    const memberB = api(b, member.auth);
    const project = await ownerA.project({ name: "Together" });
    const members = `/api/v1/projects/${project.id}/members`;
    const file = `/api/v1/projects/${project.id}/files/index.js`;
    expect((await ownerA.post(members, { email: member.email, role: "editor" })).status).toBe(201);
    // Warm both instances' memos: the roles, the file and both project lists.
    for (let i = 0; i < 3; i++) {
      for (const client of [ownerA, ownerB, memberA, memberB]) {
        expect((await client.get(file)).status).toBe(200);
        await client.get("/api/v1/projects");
      }
    }

    expect((await memberA.put(file, { content: "from the editor" })).status).toBe(200);
    const seen = (await (await ownerB.get(file)).json()) as { content: string };
    expect(seen.content).toBe("from the editor");
    const listed = (await (await ownerB.get("/api/v1/projects")).json()) as {
      projects: { fileCount: number }[];
    };
    expect(listed.projects[0]?.fileCount).toBe(2);
    expect((await memberB.put(`/api/v1/projects/${project.id}/files/new.js`, { content: "1" })).status).toBe(
      200,
    );
    const more = (await (await ownerA.get("/api/v1/projects")).json()) as {
      projects: { fileCount: number }[];
    };
    expect(more.projects[0]?.fileCount).toBe(3);

    // Demoted on A: B refuses the next write, though it had just read the member's role.
    expect((await memberB.get(file)).status).toBe(200);
    expect((await ownerA.patch(`${members}/${member.user.id}`, { role: "viewer" })).status).toBe(200);
    expect((await memberB.put(file, { content: "no" })).status).toBe(403);
    expect((await memberB.get(file)).status).toBe(200);

    // Removed on A: B no longer knows the project for them, though it had just served them.
    await memberB.get("/api/v1/projects");
    expect((await ownerA.delete(`${members}/${member.user.id}`)).status).toBe(204);
    expect((await memberB.get(file)).status).toBe(404);
    expect((await memberB.get(`/api/v1/projects/${project.id}`)).status).toBe(404);
    const theirs = (await (await memberB.get("/api/v1/projects")).json()) as { projects: unknown[] };
    expect(theirs.projects).toEqual([]);
  });
});
