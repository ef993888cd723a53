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
});
