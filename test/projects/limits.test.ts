import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { PayloadTooLargeError } from "../../src/errors.ts";
import { saveFile } from "../../src/features/files/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, registerUser } from "../helpers/auth.ts";
import { registerThroughForm } from "../helpers/html.ts";
import { api } from "../helpers/projects.ts";

/**
 * Storage limits under concurrency, with small limits so the test is quick: they are checked
 * inside the save's transaction under the owner's lock, so racing saves cannot all pass a
 * check made before any of them wrote. Run with DATABASE_URL set to see it on PostgreSQL, where
 * the saves really run side by side.
 */

const MiB = 1024 * 1024;
const mib = "m".repeat(MiB);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    RATE_LIMIT_API: "100000/1m",
    RATE_LIMIT_EDITOR: "100000/1m",
    PROJECT_SIZE_LIMIT: "4MiB",
    USER_STORAGE_QUOTA: "6MiB",
    USER_PROJECT_LIMIT: "3",
  });
}, 60_000);
afterAll(() => t.close());

type Client = ReturnType<typeof api>;

async function filesOf(client: Client, projectId: string) {
  const res = await client.get(`/api/v1/projects/${projectId}/files`);
  return ((await res.json()) as { files: { path: string; size: number }[] }).files;
}

const total = (files: { size: number }[]) => files.reduce((sum, f) => sum + f.size, 0);

describe("storage limits", () => {
  test("concurrent saves cannot take a project over its limit together", async () => {
    const me = api(t, (await registerUser(t)).auth);
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    for (const name of ["a", "b"])
      expect((await me.put(`${base}/${name}.txt`, { content: mib })).status).toBe(200);
    // 2 MiB and the template's few hundred bytes are stored: room for one more MiB, not two.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => me.put(`${base}/race${i}.txt`, { content: mib })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 413, 413, 413, 413, 413, 413, 413]);
    const refused = await answers.find((r) => r.status === 413)!.json();
    expect(refused.error.message).toBe("This save would take the project over its 4 MiB limit");
    expect(total(await filesOf(me, project.id))).toBeLessThanOrEqual(4 * MiB);
  }, 60_000);

  test("concurrent saves into different projects cannot take their owner over the storage quota", async () => {
    const me = api(t, (await registerUser(t)).auth);
    const [one, two] = [await me.project(), await me.project()];
    for (const project of [one, two])
      for (const name of ["a", "b"])
        expect(
          (await me.put(`/api/v1/projects/${project.id}/files/${name}.txt`, { content: mib })).status,
        ).toBe(200);
    // 4 MiB (and two templates) stored of the 6 MiB quota: room for one more MiB, where each
    // project alone would take one more.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        me.put(`/api/v1/projects/${(i % 2 ? one : two).id}/files/race${i}.txt`, { content: mib }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const refusals = await Promise.all(answers.filter((r) => r.status === 413).map((r) => r.json()));
    expect(refusals).toHaveLength(7);
    // The project that took the save is then refused by its own limit too; the other by the quota.
    expect(refusals.map((r) => r.error.message)).toContain(
      "This save would take the owner's projects over their 6 MiB storage quota",
    );
    const stored = total(await filesOf(me, one.id)) + total(await filesOf(me, two.id));
    expect(stored).toBeLessThanOrEqual(6 * MiB);
  }, 60_000);

  test("over a quota lowered since, saves that do not grow what is stored still pass", async () => {
    const user = await registerUser(t);
    const me = api(t, user.auth);
    const project = await me.project();
    const url = `/api/v1/projects/${project.id}/files/big.txt`;
    expect((await me.put(url, { content: mib })).status).toBe(200);
    // The same app, its quota since lowered to 512 KiB: the owner is over it.
    const lowered = {
      ...t.deps,
      config: { ...t.deps.config, storage: { ...t.deps.config.storage, userBytes: MiB / 2 } },
    };
    const save = (path: string, content: string) =>
      saveFile(lowered, user.user.id, { projectId: project.id, path, content }).catch(
        (error: Error) => error,
      );
    const refused = await save("new.txt", "grows");
    expect(refused).toBeInstanceOf(PayloadTooLargeError);
    expect((refused as Error).message).toBe(
      "This save would take the owner's projects over their 512 KiB storage quota",
    );
    expect(await save("big.txt", mib.replaceAll("m", "n"))).toMatchObject({ version: 2 });
    expect(await save("README.md", "shorter")).toMatchObject({ sizeBytes: 7 });
    expect(await save("big.txt", "small")).toMatchObject({ version: 3 });
  }, 30_000);

  test("an owner at the project limit gets 403 project_limit, also when creating concurrently", async () => {
    const me = api(t, (await registerUser(t)).auth);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => me.post("/api/v1/projects", { name: "Racing", language: "python" })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 403, 403, 403]);
    const refused = await answers.find((r) => r.status === 403)!.json();
    expect(refused.error).toEqual({
      code: "project_limit",
      message: "You have 3 projects, the most one account may own; delete one to create another",
    });
    const list = await (await me.get("/api/v1/projects")).json();
    expect(list.pagination.total).toBe(3);
    // Deleting one makes room again.
    expect((await me.delete(`/api/v1/projects/${list.projects[0].id}`)).status).toBe(204);
    expect((await me.post("/api/v1/projects", { name: "Again", language: "css" })).status).toBe(201);
  }, 60_000);

  test("on the dashboard, the project limit is said in the New project form", async () => {
    const me = await registerThroughForm(t, newAccount());
    for (const name of ["one", "two", "three"])
      expect((await me.post("/projects", { name, language: "css" })).res.status).toBe(303);
    const { res, html } = await me.post(
      "/projects",
      { name: "four", language: "css" },
      { "hx-request": "true" },
    );
    expect(res.status).toBe(422);
    expect(html).toContain("You have 3 projects, the most one account may own");
    expect(html).toContain('value="four"');
  }, 30_000);
});
