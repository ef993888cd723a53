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
    RATE_LIMIT_REGISTER: "1000/1h",
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

/** An owner with a project shared with an editor: whose quota and lock does the editor's save use? */
async function sharedProject() {
  const owner = await registerUser(t);
  const editor = await registerUser(t);
  const ownerClient = api(t, owner.auth);
  const project = await ownerClient.project({ name: "Shared" });
  const res = await ownerClient.post(`/api/v1/projects/${project.id}/members`, {
    email: editor.email,
    role: "editor",
  });
  expect(res.status).toBe(201);
  return { owner: ownerClient, editor: api(t, editor.auth), project };
}

describe("storage limits", () => {
  test("a save that would take the project over its limit is 413 and stores nothing", async () => {
    const me = api(t, (await registerUser(t)).auth);
    const project = await me.project();
    const base = `/api/v1/projects/${project.id}/files`;
    // Template files take a few hundred bytes, so 3 full files plus one almost-full file fit.
    for (let i = 0; i < 3; i++)
      expect((await me.put(`${base}/blob${i}.txt`, { content: mib })).status).toBe(200);
    expect((await me.put(`${base}/last.txt`, { content: mib.slice(4096) })).status).toBe(200);
    const over = await me.put(`${base}/one-more.txt`, { content: mib });
    expect(over.status).toBe(413);
    expect((await over.json()).error.message).toBe("This save would take the project over its 4 MiB limit");
    expect((await me.get(`${base}/one-more.txt`)).status).toBe(404);
    // Replacing an existing file counts its new size, not both.
    expect((await me.put(`${base}/blob0.txt`, { content: "small" })).status).toBe(200);
  }, 60_000);

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

  test("an editor's saves count against the owner's quota, not the editor's own", async () => {
    const { owner, editor, project } = await sharedProject();
    const shared = `/api/v1/projects/${project.id}/files`;
    const own = await owner.project({ name: "Own" });
    for (const name of ["a", "b", "c"])
      expect((await owner.put(`/api/v1/projects/${own.id}/files/${name}.txt`, { content: mib })).status).toBe(
        200,
      );
    // 3 MiB of the owner's 6 MiB quota are used; the editor's saves take 2 MiB more.
    for (const name of ["x", "y"])
      expect((await editor.put(`${shared}/${name}.txt`, { content: mib })).status).toBe(200);
    // The shared project holds 2 MiB, well under its 4 MiB limit: it is the owner's quota that refuses.
    const refused = await editor.put(`${shared}/z.txt`, { content: mib });
    expect(refused.status).toBe(413);
    expect((await refused.json()).error.message).toBe(
      "This save would take the owner's projects over their 6 MiB storage quota",
    );
    expect((await owner.put(`/api/v1/projects/${own.id}/files/d.txt`, { content: mib })).status).toBe(413);
    // The editor's own quota is untouched by what they saved for the owner: 5 MiB of their own fit.
    const mine = await editor.project({ name: "Mine" });
    const theirs = await editor.project({ name: "Mine too" });
    for (const [project, name] of [
      [mine, "a"],
      [mine, "b"],
      [mine, "c"],
      [theirs, "a"],
      [theirs, "b"],
    ] as const)
      expect(
        (await editor.put(`/api/v1/projects/${project.id}/files/${name}.txt`, { content: mib })).status,
      ).toBe(200);
  }, 60_000);

  test("concurrent saves by the owner and an editor are checked one after another against the owner's quota", async () => {
    const { owner, editor, project } = await sharedProject();
    const own = await owner.project({ name: "Own" });
    for (const [client, id] of [
      [owner, own.id],
      [owner, own.id],
      [editor, project.id],
      [editor, project.id],
      [editor, project.id],
    ] as const)
      expect(
        (await client.put(`/api/v1/projects/${id}/files/${crypto.randomUUID()}.txt`, { content: mib }))
          .status,
      ).toBe(200);
    // 5 MiB (and two templates) of the owner's 6 MiB are stored: room for one more half MiB, where
    // each project alone has room for at least one. Only under one lock, the owner's whoever
    // saves, can the owner's save and the editor's not both pass.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2
          ? owner.put(`/api/v1/projects/${own.id}/files/race${i}.txt`, { content: "o".repeat(MiB / 2) })
          : editor.put(`/api/v1/projects/${project.id}/files/race${i}.txt`, { content: "e".repeat(MiB / 2) }),
      ),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 413)).toHaveLength(7);
    const stored = total(await filesOf(owner, own.id)) + total(await filesOf(owner, project.id));
    expect(stored).toBeLessThanOrEqual(6 * MiB);
  }, 60_000);

  test("an editor cannot take the owner's project over its size limit, also when saving concurrently", async () => {
    const { owner, editor, project } = await sharedProject();
    const base = `/api/v1/projects/${project.id}/files`;
    for (const name of ["a", "b"])
      expect((await editor.put(`${base}/${name}.txt`, { content: mib })).status).toBe(200);
    expect((await owner.put(`${base}/c.txt`, { content: mib })).status).toBe(200);
    // 3 MiB and the template are stored of the project's 4 MiB: a whole MiB no longer fits.
    const refused = await editor.put(`${base}/d.txt`, { content: mib });
    expect(refused.status).toBe(413);
    expect((await refused.json()).error.message).toBe(
      "This save would take the project over its 4 MiB limit",
    );
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? owner : editor).put(`${base}/race${i}.txt`, { content: "r".repeat(MiB / 2) }),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 413, 413, 413, 413, 413, 413, 413]);
    expect(total(await filesOf(editor, project.id))).toBeLessThanOrEqual(4 * MiB);
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
