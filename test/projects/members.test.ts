import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { type OAuthHarness, oauthHarness, setCookies, unique } from "../helpers/oauth-browser.ts";
import { api } from "../helpers/projects.ts";

type Member = { userId: string | null; email: string; name: string | null; role: string; status: string };
type Client = ReturnType<typeof api>;
type ErrorBody = { error: { code: string; message: string } };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_API: "100000/15m" });
}, 60_000);
afterAll(() => t.close());

/** A signed-up person with an API client. */
async function person(names: { firstName?: string; lastName?: string; email?: string } = {}) {
  const user = await registerUser(t, names);
  return { ...user, id: user.user.id, client: api(t, user.auth) };
}

const membersOf = async (client: Client, projectId: string) => {
  const res = await client.get(`/api/v1/projects/${projectId}/members`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { members: Member[] }).members;
};

const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

describe("adding members", () => {
  test("an email with an account is a member at once; the list starts with the owner", async () => {
    const owner = await person({ firstName: "Ada", lastName: "Lovelace" });
    const grace = await person({ firstName: "Grace", lastName: "Hopper" });
    const project = await owner.client.project({ name: "Shared" });
    const url = `/api/v1/projects/${project.id}/members`;

    // Emails are compared without regard to case, and surrounding spaces are dropped.
    const res = await owner.client.post(url, { email: `  ${grace.email.toUpperCase()} `, role: "editor" });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      userId: grace.id,
      email: grace.email,
      name: "Grace Hopper",
      role: "editor",
      status: "member",
    });
    expect(await membersOf(owner.client, project.id)).toEqual([
      { userId: owner.id, email: owner.email, name: "Ada Lovelace", role: "owner", status: "member" },
      { userId: grace.id, email: grace.email, name: "Grace Hopper", role: "editor", status: "member" },
    ]);
    // A member sees the same list, and the project in their own list with its owner.
    expect(await membersOf(grace.client, project.id)).toHaveLength(2);
    const listed = (await (await grace.client.get("/api/v1/projects")).json()) as {
      projects: { id: string; role: string; owner?: { id: string; email: string; name: string } }[];
    };
    expect(listed.projects).toEqual([
      expect.objectContaining({
        id: project.id,
        role: "editor",
        owner: { id: owner.id, email: owner.email, name: "Ada Lovelace" },
      }),
    ]);
    const single = await (await grace.client.get(`/api/v1/projects/${project.id}`)).json();
    expect(single).toMatchObject({ id: project.id, role: "editor", owner: { id: owner.id } });
    const own = await (await owner.client.get(`/api/v1/projects/${project.id}`)).json();
    expect(own.role).toBe("owner");
    expect(own.owner).toBeUndefined();
  });

  test("the owner, or someone already on the list (in any letter case), is a 409", async () => {
    const owner = await person();
    const other = await person();
    const project = await owner.client.project();
    const url = `/api/v1/projects/${project.id}/members`;
    expect((await owner.client.post(url, { email: other.email, role: "viewer" })).status).toBe(201);
    for (const email of [owner.email, owner.email.toUpperCase(), other.email.toUpperCase()]) {
      const res = await owner.client.post(url, { email, role: "editor" });
      expect(res.status).toBe(409);
      expect((await errorOf(res)).code).toBe("conflict");
    }
    const pending = unique("pending");
    expect((await owner.client.post(url, { email: pending, role: "viewer" })).status).toBe(201);
    expect((await owner.client.post(url, { email: pending.toUpperCase(), role: "editor" })).status).toBe(409);
    expect(await membersOf(owner.client, project.id)).toHaveLength(3);
  });

  test("an unknown role or a malformed email is a 400 naming the field", async () => {
    const owner = await person();
    const project = await owner.client.project();
    const url = `/api/v1/projects/${project.id}/members`;
    for (const [body, field] of [
      [{ email: unique("x"), role: "owner" }, "role"],
      [{ email: unique("x"), role: "admin" }, "role"],
      [{ email: unique("x") }, "role"],
      [{ email: "not an email", role: "viewer" }, "email"],
    ] as const) {
      const res = await owner.client.post(url, body);
      expect(res.status).toBe(400);
      expect((await errorOf(res)).message).toContain(field);
    }
    const member = await person();
    await owner.client.post(url, { email: member.email, role: "viewer" });
    const patch = await owner.client.patch(`${url}/${member.id}`, { role: "owner" });
    expect(patch.status).toBe(400);
    expect((await errorOf(patch)).message).toContain("role");
  });
});

describe("pending invitations", () => {
  test("an email without an account is pending until it registers, then a member at once", async () => {
    const owner = await person();
    const project = await owner.client.project({ name: "Invited" });
    const email = unique("later");
    const res = await owner.client.post(`/api/v1/projects/${project.id}/members`, {
      email: email.toUpperCase(),
      role: "viewer",
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ userId: null, email, name: null, role: "viewer", status: "pending" });
    // Warm the memoized list, so the registration must retire it.
    expect((await membersOf(owner.client, project.id)).at(-1)?.status).toBe("pending");

    const later = await person({ email, firstName: "Late", lastName: "Comer" });
    expect((await membersOf(owner.client, project.id)).at(-1)).toEqual({
      userId: later.id,
      email,
      name: "Late Comer",
      role: "viewer",
      status: "member",
    });
    expect((await later.client.get(`/api/v1/projects/${project.id}/files/index.js`)).status).toBe(200);
    const mine = (await (await later.client.get("/api/v1/projects")).json()) as {
      projects: { id: string }[];
    };
    expect(mine.projects.map((p) => p.id)).toEqual([project.id]);
  });

  test("a pending invitation is named by its email for PATCH and DELETE", async () => {
    const owner = await person();
    const project = await owner.client.project();
    const url = `/api/v1/projects/${project.id}/members`;
    const email = unique("pending");
    await owner.client.post(url, { email, role: "viewer" });
    const patch = await owner.client.patch(`${url}/${encodeURIComponent(email.toUpperCase())}`, {
      role: "editor",
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toEqual({
      userId: null,
      email,
      name: null,
      role: "editor",
      status: "pending",
    });
    expect((await owner.client.delete(`${url}/${encodeURIComponent(email)}`)).status).toBe(204);
    expect((await owner.client.delete(`${url}/${encodeURIComponent(email)}`)).status).toBe(404);
    expect(await membersOf(owner.client, project.id)).toHaveLength(1);
  });
});

describe("changing roles, removing and leaving", () => {
  test("the owner changes a role and removes a member, who loses access at once", async () => {
    const owner = await person();
    const member = await person();
    const project = await owner.client.project();
    const url = `/api/v1/projects/${project.id}/members`;
    const file = `/api/v1/projects/${project.id}/files/index.js`;
    await owner.client.post(url, { email: member.email, role: "viewer" });
    expect((await member.client.put(file, { content: "no" })).status).toBe(403);

    const patch = await owner.client.patch(`${url}/${member.id}`, { role: "editor" });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ userId: member.id, role: "editor", status: "member" });
    expect((await member.client.put(file, { content: "yes" })).status).toBe(200);
    // The owner sees the editor's save at once.
    expect(((await (await owner.client.get(file)).json()) as { content: string }).content).toBe("yes");

    expect((await owner.client.delete(`${url}/${member.id}`)).status).toBe(204);
    expect((await member.client.get(file)).status).toBe(404);
    expect((await member.client.get(`/api/v1/projects/${project.id}`)).status).toBe(404);
    const mine = (await (await member.client.get("/api/v1/projects")).json()) as { projects: unknown[] };
    expect(mine.projects).toEqual([]);
    expect((await owner.client.delete(`${url}/${member.id}`)).status).toBe(404);
  });

  test("a member may leave; the owner can neither leave nor change their own role (409)", async () => {
    const owner = await person();
    const member = await person();
    const project = await owner.client.project();
    const url = `/api/v1/projects/${project.id}/members`;
    await owner.client.post(url, { email: member.email, role: "viewer" });
    expect((await member.client.delete(`${url}/${encodeURIComponent(member.email)}`)).status).toBe(204);
    expect((await member.client.get(url)).status).toBe(404);

    const own = await owner.client.delete(`${url}/${owner.id}`);
    expect(own.status).toBe(409);
    expect((await owner.client.patch(`${url}/${owner.id}`, { role: "viewer" })).status).toBe(409);
    expect(
      (await owner.client.patch(`${url}/${encodeURIComponent(owner.email)}`, { role: "viewer" })).status,
    ).toBe(409);
    expect((await owner.client.get(`/api/v1/projects/${project.id}`)).status).toBe(200);
  });

  test("members other than the owner cannot manage members (403), whatever their role", async () => {
    const owner = await person();
    const editor = await person();
    const viewer = await person();
    const project = await owner.client.project();
    const url = `/api/v1/projects/${project.id}/members`;
    await owner.client.post(url, { email: editor.email, role: "editor" });
    await owner.client.post(url, { email: viewer.email, role: "viewer" });
    for (const member of [editor, viewer]) {
      const add = await member.client.post(url, { email: unique("friend"), role: "viewer" });
      expect(add.status).toBe(403);
      expect((await errorOf(add)).code).toBe("forbidden");
      expect((await member.client.patch(`${url}/${member.id}`, { role: "editor" })).status).toBe(403);
      expect((await member.client.delete(`${url}/${owner.id}`)).status).toBe(403);
    }
    expect((await editor.client.delete(`${url}/${viewer.id}`)).status).toBe(403);
    expect((await membersOf(owner.client, project.id)).map((m) => m.role)).toEqual([
      "owner",
      "editor",
      "viewer",
    ]);
  });

  test("someone who is not a member gets 404 on every members route, as for a project that does not exist", async () => {
    const owner = await person();
    const stranger = await person();
    const project = await owner.client.project();
    const member = await person();
    const url = `/api/v1/projects/${project.id}/members`;
    await owner.client.post(url, { email: member.email, role: "editor" });
    for (const id of [project.id, crypto.randomUUID(), "not-a-uuid"]) {
      const base = `/api/v1/projects/${id}/members`;
      for (const res of [
        await stranger.client.get(base),
        await stranger.client.post(base, { email: unique("x"), role: "viewer" }),
        await stranger.client.patch(`${base}/${member.id}`, { role: "viewer" }),
        await stranger.client.delete(`${base}/${member.id}`),
      ]) {
        expect(res.status).toBe(404);
        expect((await errorOf(res)).code).toBe("not_found");
      }
    }
    expect(await membersOf(owner.client, project.id)).toHaveLength(2);
  });

  test("deleting the project takes its memberships with it; only the owner may", async () => {
    const owner = await person();
    const member = await person();
    const project = await owner.client.project();
    await owner.client.post(`/api/v1/projects/${project.id}/members`, {
      email: member.email,
      role: "editor",
    });
    expect((await member.client.delete(`/api/v1/projects/${project.id}`)).status).toBe(403);
    expect((await owner.client.delete(`/api/v1/projects/${project.id}`)).status).toBe(204);
    const mine = (await (await member.client.get("/api/v1/projects")).json()) as { projects: unknown[] };
    expect(mine.projects).toEqual([]);
  });
});

describe("signing up through OAuth", () => {
  let h: OAuthHarness;
  beforeAll(async () => {
    h = await oauthHarness();
  }, 60_000);
  afterAll(() => h?.close());

  test("an invited email that signs up with a provider is a member at once", async () => {
    const owner = await registerUser(h.t);
    const client = api(h.t, owner.auth);
    const project = await client.project({ name: "Via OAuth" });
    const email = unique("oauth");
    await client.post(`/api/v1/projects/${project.id}/members`, { email, role: "editor" });
    h.provider.identity.google = { id: `g-${email}`, email: email.toUpperCase(), verified: true };
    const res = await h.signIn("google");
    expect(res.headers.get("location")).toBe("/projects");
    const token = setCookies(res).get("aura_at")!;
    const user = (await (await h.me(token)).json()).user as { id: string };
    const members = (
      (await (await client.get(`/api/v1/projects/${project.id}/members`)).json()) as {
        members: Member[];
      }
    ).members;
    expect(members.at(-1)).toMatchObject({ userId: user.id, email, role: "editor", status: "member" });
    const theirs = api(h.t, { authorization: `Bearer ${token}` });
    expect((await theirs.put(`/api/v1/projects/${project.id}/files/new.js`, { content: "1" })).status).toBe(
      200,
    );
  });
});
