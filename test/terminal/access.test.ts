import { afterAll, describe, expect, test } from "bun:test";
import { createHandlers } from "../../src/handlers.ts";
import { createTestApp } from "../helpers/app.ts";
import { postJson, registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";
import { attach, upgradeStatus } from "./helpers.ts";

const skip = sandboxSkipReason();

describe.skipIf(Boolean(skip))("who may open and attach to a terminal", async () => {
  const t = await createTestApp({ RATE_LIMIT_API: "100000/15m", RATE_LIMIT_EDITOR: "100000/15m" });
  const server = listen(t);
  const owner = await registerUser(t);
  const stranger = await registerUser(t);
  const viewer = await registerUser(t);
  const editor = await registerUser(t);
  const o = api(t, owner.auth);
  const project = await o.project({ name: "Private", language: "python" });
  for (const [user, role] of [
    [viewer, "viewer"],
    [editor, "editor"],
  ] as const) {
    const res = await o.post(`/api/v1/projects/${project.id}/members`, { email: user.email, role });
    expect(res.status).toBe(201);
  }
  const opened = await o.post(`/api/v1/projects/${project.id}/terminals`, {});
  expect(opened.status).toBe(201);
  const { id } = (await opened.json()) as { id: string };
  const path = `/api/v1/projects/${project.id}/terminals/${id}`;
  afterAll(async () => {
    await o.delete(path);
    await server.stop();
    await t.close();
  });

  test("a stranger can neither open one in the project nor attach to one (404)", async () => {
    const res = await api(t, stranger.auth).post(`/api/v1/projects/${project.id}/terminals`, {});
    expect(res.status).toBe(404);
    expect(await upgradeStatus(t, `${path}?token=${stranger.token}`)).toBe(404);
    expect((await api(t, stranger.auth).delete(path)).status).toBe(404);
    expect((await api(t, stranger.auth).post(`${path}/sync`, {})).status).toBe(404);
  });

  test("a viewer can neither open one nor attach (403)", async () => {
    const res = await api(t, viewer.auth).post(`/api/v1/projects/${project.id}/terminals`, {});
    expect(res.status).toBe(403);
    expect(await upgradeStatus(t, `${path}?token=${viewer.token}`)).toBe(403);
  });

  test("an editor opens their own, but another person's terminal is 404 to them", async () => {
    const e = api(t, editor.auth);
    const res = await e.post(`/api/v1/projects/${project.id}/terminals`, {});
    expect(res.status).toBe(201);
    const own = (await res.json()) as { id: string };
    expect(await upgradeStatus(t, `${path}?token=${editor.token}`)).toBe(404);
    expect((await e.delete(path)).status).toBe(404);
    expect((await e.delete(`/api/v1/projects/${project.id}/terminals/${own.id}`)).status).toBe(204);
  });

  test("no session is 401, a bad token too, and a page of another site is 403", async () => {
    expect(await upgradeStatus(t, path)).toBe(401);
    expect(await upgradeStatus(t, `${path}?token=nope`)).toBe(401);
    expect(await upgradeStatus(t, path, { origin: "https://evil.example" })).toBe(403);
  });

  test("an unknown terminal id is 404, and a GET that is no upgrade is 426", async () => {
    const other = `/api/v1/projects/${project.id}/terminals/${crypto.randomUUID()}`;
    expect(await upgradeStatus(t, `${other}?token=${owner.token}`)).toBe(404);
    // Through the server's handlers, as a plain GET reaches them.
    const handlers = createHandlers(t.app, t.deps);
    const server = {} as Parameters<typeof handlers.fetch>[1];
    const res = await handlers.fetch(new Request(`http://localhost${path}`, { headers: owner.auth }), server);
    expect(res?.status).toBe(426);
  });

  test("the owner attaches with ?token=", async () => {
    const socket = attach(server.url, project.id, id, owner.token);
    await socket.opened;
    await socket.waitFor("$ ");
    await socket.close();
  }, 30_000);

  test("an editor made a viewer loses the terminal they had open: it ends, saying why", async () => {
    const member = await registerUser(t);
    expect(
      (await o.post(`/api/v1/projects/${project.id}/members`, { email: member.email, role: "editor" }))
        .status,
    ).toBe(201);
    const m = api(t, member.auth);
    const res = await m.post(`/api/v1/projects/${project.id}/terminals`, {});
    expect(res.status).toBe(201);
    const own = (await res.json()) as { id: string };
    const socket = attach(server.url, project.id, own.id, member.token);
    await socket.opened;
    await socket.waitFor("$ ");
    const demoted = await o.patch(`/api/v1/projects/${project.id}/members/${member.user.id}`, {
      role: "viewer",
    });
    expect(demoted.status).toBe(200);
    const ended = await socket.closed;
    expect(ended).toEqual({ code: 1000, exit: { type: "exit", exitCode: null, error: "access" } } as never);
    // The terminal is gone, not only the socket: its place under the per-user limit is free again.
    expect(t.deps.terminals.ownedIn(member.user.id, project.id)).toEqual([]);
  }, 30_000);

  test("a socket whose session ended (a logout) is dropped with 4401; the terminal stays its owner's", async () => {
    const member = await registerUser(t);
    expect(
      (await o.post(`/api/v1/projects/${project.id}/members`, { email: member.email, role: "editor" }))
        .status,
    ).toBe(201);
    const res = await api(t, member.auth).post(`/api/v1/projects/${project.id}/terminals`, {});
    expect(res.status).toBe(201);
    const own = (await res.json()) as { id: string };
    const socket = attach(server.url, project.id, own.id, member.token);
    await socket.opened;
    await socket.waitFor("$ ");
    const out = await t.request("/api/v1/auth/logout", {
      method: "POST",
      headers: { ...member.auth, "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: member.refreshToken }),
    });
    expect(out.status).toBe(204);
    await t.deps.terminals.recheckSessions();
    expect((await socket.closed).code).toBe(4401);
    // The ended session cannot attach again; a new sign-in of the same person can.
    expect(
      await upgradeStatus(t, `/api/v1/projects/${project.id}/terminals/${own.id}?token=${member.token}`),
    ).toBe(401);
    const login = await postJson(t, "/api/v1/auth/login", { email: member.email, password: member.password });
    expect(login.status).toBe(200);
    const again = (await login.json()) as { token: string };
    const againAuth = { authorization: `Bearer ${again.token}` };
    const back = attach(server.url, project.id, own.id, again.token);
    await back.opened;
    await back.waitFor("$ ");
    await back.close();
    expect(
      (await api(t, againAuth).delete(`/api/v1/projects/${project.id}/terminals/${own.id}`)).status,
    ).toBe(204);
  }, 30_000);

  test("the body is checked: a size out of range is 400", async () => {
    const res = await o.post(`/api/v1/projects/${project.id}/terminals`, { cols: 0, rows: 24 });
    expect(res.status).toBe(400);
  });
});
