import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { count, eq, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { unzipSync } from "fflate";
import { listUserOauthAccounts } from "../../src/db/queries/oauth-accounts.ts";
import { aiInteractions } from "../../src/db/schema/ai-interactions.ts";
import { codeChunks } from "../../src/db/schema/code-chunks.ts";
import { fileVersions } from "../../src/db/schema/file-versions.ts";
import { projectFiles } from "../../src/db/schema/project-files.ts";
import { projectMembers } from "../../src/db/schema/project-members.ts";
import { projects } from "../../src/db/schema/projects.ts";
import { refreshTokens } from "../../src/db/schema/refresh-tokens.ts";
import { usageAnalytics } from "../../src/db/schema/usage-analytics.ts";
import { users } from "../../src/db/schema/users.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { postJson, registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_LOGIN: "3/15m", RATE_LIMIT_REGISTER: "1000/1h" });
}, 60_000);
afterAll(() => t.close());

type Account = Awaited<ReturnType<typeof registerUser>>;
const me = (token: string) => t.request("/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } });
const login = (email: string, password: string) => postJson(t, "/api/v1/auth/login", { email, password });
const refresh = (refreshToken: string) => postJson(t, "/api/v1/auth/refresh", { refreshToken });
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

/** A second session of the same account (another device). */
async function secondSession(account: Account) {
  const res = await login(account.email, account.password);
  expect(res.status).toBe(200);
  return (await res.json()) as { token: string; refreshToken: string };
}

describe("PATCH /api/v1/auth/me", () => {
  test("changes the name and answers the account; an empty name clears it, an absent one stays", async () => {
    const a = await registerUser(t);
    const res = await api(t, a.auth).patch("/api/v1/auth/me", { firstName: "  Grace ", lastName: "Hopper" });
    expect(res.status).toBe(200);
    expect((await res.json()).user).toEqual({
      id: a.user.id,
      email: a.email,
      firstName: "Grace",
      lastName: "Hopper",
    });
    const cleared = await api(t, a.auth).patch("/api/v1/auth/me", { lastName: "" });
    expect((await cleared.json()).user).toMatchObject({ firstName: "Grace", lastName: null });
    expect((await (await me(a.token)).json()).user).toMatchObject({ firstName: "Grace", lastName: null });
  });

  test("a name over 100 characters is a 400 naming the field; no token is a 401", async () => {
    const a = await registerUser(t);
    const res = await api(t, a.auth).patch("/api/v1/auth/me", { firstName: "x".repeat(101) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain("firstName");
    const anonymous = await t.request("/api/v1/auth/me", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ firstName: "A" }),
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("POST /api/v1/auth/password", () => {
  test("changes the password, ends the other sessions (refresh and access refused) and keeps this one", async () => {
    const a = await registerUser(t);
    const other = await secondSession(a);
    const res = await api(t, a.auth).post("/api/v1/auth/password", {
      currentPassword: a.password,
      newPassword: "a brand new passphrase",
    });
    expect(res.status).toBe(204);
    expect((await me(a.token)).status).toBe(200);
    expect((await me(other.token)).status).toBe(401);
    expect((await refresh(other.refreshToken)).status).toBe(401);
    expect((await refresh(a.refreshToken)).status).toBe(200);
    expect((await login(a.email, a.password)).status).toBe(401);
    expect((await login(a.email, "a brand new passphrase")).status).toBe(200);
  });

  test("a wrong current password is 403 invalid_credentials and changes nothing", async () => {
    const a = await registerUser(t);
    const other = await secondSession(a);
    const res = await api(t, a.auth).post("/api/v1/auth/password", {
      currentPassword: "not the password",
      newPassword: "a brand new passphrase",
    });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("invalid_credentials");
    expect((await me(other.token)).status).toBe(200);
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  test("a missing current password, or a weak new one, is a 400 naming the field", async () => {
    const a = await registerUser(t);
    const missing = await api(t, a.auth).post("/api/v1/auth/password", {
      newPassword: "a brand new passphrase",
    });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toStartWith("currentPassword:");
    const short = await api(t, a.auth).post("/api/v1/auth/password", {
      currentPassword: a.password,
      newPassword: "short",
    });
    expect(short.status).toBe(400);
    expect((await errorOf(short)).message).toContain("newPassword");
    const blank = await api(t, a.auth).post("/api/v1/auth/password", {
      currentPassword: a.password,
      newPassword: " ".repeat(12),
    });
    expect(blank.status).toBe(400);
    expect((await errorOf(blank)).message).toStartWith("newPassword:");
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  test("wrong current passwords are limited like sign-ins: 429 with Retry-After, even for the right one", async () => {
    const a = await registerUser(t);
    const attempt = (currentPassword: string) =>
      api(t, a.auth).post("/api/v1/auth/password", {
        currentPassword,
        newPassword: "a brand new passphrase",
      });
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong guess ${i}`)).status).toBe(403);
    const locked = await attempt(a.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(a.email, a.password)).status).toBe(429);
  });
});

describe("DELETE /api/v1/auth/me", () => {
  test("needs the password: missing is a 400 naming it, wrong is a 403, and the account stays", async () => {
    const a = await registerUser(t);
    const missing = await t.request("/api/v1/auth/me", {
      method: "DELETE",
      headers: { ...a.auth, "content-type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toStartWith("password:");
    const wrong = await t.request("/api/v1/auth/me", {
      method: "DELETE",
      headers: { ...a.auth, "content-type": "application/json" },
      body: JSON.stringify({ password: "not the password" }),
    });
    expect(wrong.status).toBe(403);
    expect((await me(a.token)).status).toBe(200);
  });

  test("deletes the account, its projects with everything in them, and its memberships; its tokens are refused", async () => {
    const owner = await registerUser(t);
    const friend = await registerUser(t);
    const other = await secondSession(owner);
    const own = await api(t, owner.auth).project({ name: "Mine" });
    const saved = await api(t, owner.auth).put(`/api/v1/projects/${own.id}/files/notes.md`, {
      content: "# v2",
    });
    expect(saved.status).toBeLessThan(300);
    // The friend shares a project with the owner, and the owner shares theirs with the friend.
    const theirs = await api(t, friend.auth).project({ name: "Theirs" });
    for (const [who, project, email] of [
      [friend, theirs.id, owner.email],
      [owner, own.id, friend.email],
    ] as const) {
      const added = await api(t, who.auth).post(`/api/v1/projects/${project}/members`, {
        email,
        role: "editor",
      });
      expect(added.status).toBe(201);
    }
    const db = await t.deps.db.get();
    await db.insert(aiInteractions).values([
      { userId: owner.user.id, projectId: own.id, requestType: "chat", requestData: { message: "mine" } },
      { userId: friend.user.id, projectId: own.id, requestType: "chat", requestData: { message: "secret" } },
    ]);
    await t.deps.context.idle();
    expect((await t.deps.context.store.entries(own.id)).length).toBeGreaterThan(0);

    const res = await t.request("/api/v1/auth/me", {
      method: "DELETE",
      headers: { ...owner.auth, "content-type": "application/json" },
      body: JSON.stringify({ password: owner.password }),
    });
    expect(res.status).toBe(204);

    const rows = async (table: PgTable, where: SQL) =>
      (await db.select({ n: count() }).from(table).where(where))[0]!.n;
    expect(await rows(users, eq(users.id, owner.user.id))).toBe(0);
    expect(await rows(projects, eq(projects.userId, owner.user.id))).toBe(0);
    expect(await rows(projectFiles, eq(projectFiles.projectId, own.id))).toBe(0);
    expect(await rows(fileVersions, eq(fileVersions.projectId, own.id))).toBe(0);
    expect(await rows(codeChunks, eq(codeChunks.projectId, own.id))).toBe(0);
    expect(await rows(projectMembers, eq(projectMembers.projectId, own.id))).toBe(0);
    expect(await rows(projectMembers, eq(projectMembers.email, owner.email))).toBe(0);
    expect(await rows(refreshTokens, eq(refreshTokens.userId, owner.user.id))).toBe(0);
    expect(await rows(aiInteractions, eq(aiInteractions.userId, owner.user.id))).toBe(0);
    expect(await rows(usageAnalytics, eq(usageAnalytics.userId, owner.user.id))).toBe(0);
    expect(await listUserOauthAccounts(db, owner.user.id)).toEqual([]);
    expect(await t.deps.context.store.entries(own.id)).toEqual([]);
    // The friend's chat about the deleted project keeps its cost but not its words.
    const [kept] = await db.select().from(aiInteractions).where(eq(aiInteractions.userId, friend.user.id));
    expect(kept).toMatchObject({ projectId: null, requestData: null, responseData: null });

    for (const token of [owner.token, other.token]) expect((await me(token)).status).toBe(401);
    expect((await refresh(owner.refreshToken)).status).toBe(401);
    expect((await login(owner.email, owner.password)).status).toBe(401);
    expect((await api(t, friend.auth).get(`/api/v1/projects/${own.id}`)).status).toBe(404);
    const left = await api(t, friend.auth).get(`/api/v1/projects/${theirs.id}/members`);
    expect(((await left.json()).members as { email: string }[]).map((m) => m.email)).toEqual([friend.email]);
  });
});

describe("GET /api/v1/auth/me/export", () => {
  test("is a zip of the profile, the owned projects with their files, and the conversations", async () => {
    const a = await registerUser(t, { firstName: "Export" });
    const project = await api(t, a.auth).project({ name: "Zip me" });
    const put = await api(t, a.auth).put(`/api/v1/projects/${project.id}/files/src/deep/util.js`, {
      content: "export const answer = 42;\n",
    });
    expect(put.status).toBeLessThan(300);
    await (await t.deps.db.get()).insert(aiInteractions).values({
      userId: a.user.id,
      projectId: project.id,
      requestType: "chat",
      requestData: { message: "hi" },
    });

    // A binary file (stored as base64) comes out as its own bytes.
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0xff, 0xfe, 1, 2, 3]);
    const form = new FormData();
    form.append("file", new File([png], "logo.png"));
    const uploaded = await t.request(`/api/v1/projects/${project.id}/files/upload`, {
      method: "POST",
      headers: a.auth,
      body: form,
    });
    expect(uploaded.status).toBeLessThan(300);

    const res = await api(t, a.auth).get("/api/v1/auth/me/export");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="aura-export-.+\.zip"$/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const text = (name: string) => new TextDecoder().decode(files[name]);
    const profile = JSON.parse(text("profile.json"));
    expect(profile.user).toMatchObject({ id: a.user.id, email: a.email, firstName: "Export" });
    expect(profile.signInMethods).toMatchObject({ password: true, providers: [] });
    const folder = `projects/Zip-me-${project.id.slice(0, 8)}`;
    expect(JSON.parse(text(`${folder}/project.json`))).toMatchObject({ id: project.id, name: "Zip me" });
    expect(text(`${folder}/files/src/deep/util.js`)).toBe("export const answer = 42;\n");
    expect(files[`${folder}/files/logo.png`]).toEqual(png);
    expect(Object.keys(files).filter((n) => n.startsWith(`${folder}/files/`)).length).toBeGreaterThan(1);
    const chats = JSON.parse(text("conversations.json"));
    expect(chats).toEqual([expect.objectContaining({ projectId: project.id, projectFolder: folder })]);
    expect(chats[0].request).toEqual({ message: "hi" });
  });

  test("needs a token", async () => {
    expect((await t.request("/api/v1/auth/me/export")).status).toBe(401);
  });
});

describe("DELETE /api/v1/auth/me/links/:provider", () => {
  test("an account without that link, or a provider that does not exist, is a 404", async () => {
    const a = await registerUser(t);
    expect((await api(t, a.auth).delete("/api/v1/auth/me/links/github")).status).toBe(404);
    expect((await api(t, a.auth).delete("/api/v1/auth/me/links/myspace")).status).toBe(404);
  });
});
