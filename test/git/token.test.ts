import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { queryRows } from "../../src/db/raw.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { api } from "../helpers/projects.ts";

const TOKEN = "ghp_secretTokenValue123";

let t: TestApp;
let remote: GitServer;
beforeAll(async () => {
  t = await createTestApp({ GIT_ALLOW_PRIVATE_REMOTES: "1", RATE_LIMIT_API: "100000/15m" });
  remote = startGitServer({ password: TOKEN });
}, 60_000);
afterAll(async () => {
  await remote.stop();
  await t.close();
});

test("a token given at import is stored encrypted, used to push, never shown, and can be forgotten", async () => {
  const user = await registerUser(t);
  const client = api(t, user.auth);
  const url = remote.createRepo("guarded", { "a.txt": "a\n" });

  const refused = await client.post("/api/v1/projects/import/git", { url });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("git_auth");

  const res = await client.post("/api/v1/projects/import/git", { url, token: TOKEN });
  expect(res.status).toBe(201);
  const project = (await res.json()) as { id: string };
  expect(JSON.stringify(project)).not.toContain(TOKEN);
  expect(await (await client.get("/api/v1/git/token")).json()).toEqual({ configured: true });

  // Stored sealed: the row holds no trace of the token.
  const rows = await queryRows(await t.deps.db.get(), sql`select iv, ciphertext from git_credentials`);
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(TOKEN);
  expect(JSON.stringify(rows)).not.toContain(Buffer.from(TOKEN).toString("hex"));

  await client.put(`/api/v1/projects/${project.id}/files/a.txt`, { content: "b\n" });
  expect((await client.post(`/api/v1/projects/${project.id}/git/commit`, { message: "B" })).status).toBe(201);
  expect((await client.post(`/api/v1/projects/${project.id}/git/push`, {})).status).toBe(200);
  const work = remote.cloneRepo("guarded");
  expect(runGit(work, "log", "-1", "--format=%s")).toBe("B");

  // Pull uses it too.
  writeFileSync(join(work, "a.txt"), "c\n");
  runGit(work, "commit", "-q", "-am", "C");
  runGit(work, "push", "-q", "origin", "main");
  expect((await client.post(`/api/v1/projects/${project.id}/git/pull`, {})).status).toBe(200);

  expect((await client.delete("/api/v1/git/token")).status).toBe(204);
  expect(await (await client.get("/api/v1/git/token")).json()).toEqual({ configured: false });
  expect((await client.post(`/api/v1/projects/${project.id}/git/pull`, {})).status).toBe(403);

  expect((await client.put("/api/v1/git/token", { token: "new token with spaces" })).status).toBe(400);
  // A token is always bound to a host: without one it is refused, naming the field.
  const hostless = await client.put("/api/v1/git/token", { token: TOKEN });
  expect(hostless.status).toBe(400);
  expect(JSON.stringify(await hostless.json())).toContain("host");
  expect((await client.put("/api/v1/git/token", { token: TOKEN, host: new URL(url).host })).status).toBe(204);
  expect((await client.post(`/api/v1/projects/${project.id}/git/pull`, {})).status).toBe(200);
  expect(JSON.stringify(t.logs)).not.toContain(TOKEN);
});

test("the token stays out of the log when the remote fails, even one that repeats the request back", async () => {
  // A remote that answers every request with a 500 whose body is the request's headers, the
  // credentials decoded: whatever keeps the failure for the log must not keep the token.
  const echo = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const auth = request.headers.get("authorization") ?? "";
      const decoded = auth.startsWith("Basic ") ? Buffer.from(auth.slice(6), "base64").toString() : "";
      if (!decoded)
        return new Response("auth required", {
          status: 401,
          headers: { "www-authenticate": 'Basic realm="x"' },
        });
      return new Response(`${JSON.stringify(Object.fromEntries(request.headers))} ${decoded}`, {
        status: 500,
      });
    },
  });
  const gone = startGitServer({ password: TOKEN });
  try {
    const client = api(t, (await registerUser(t)).auth);
    const res = await client.post("/api/v1/projects/import/git", {
      url: `${echo.url.href}repo.git`,
      token: TOKEN,
    });
    expect(res.status).toBe(502);
    expect(await res.text()).not.toContain(TOKEN);
    // A pull with the saved token from a remote that has gone away since the import.
    const created = await client.post("/api/v1/projects/import/git", {
      url: gone.createRepo("gone", { "a.txt": "a\n" }),
      token: TOKEN,
    });
    expect(created.status).toBe(201);
    await gone.stop();
    const pulled = await client.post(
      `/api/v1/projects/${((await created.json()) as { id: string }).id}/git/pull`,
      {},
    );
    expect(pulled.status).toBe(502);
    expect(await pulled.text()).not.toContain(TOKEN);
    const logged = JSON.stringify(t.logs);
    expect(logged).toContain("upstream_error");
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString("base64"));
  } finally {
    await echo.stop(true);
    await gone.stop();
  }
});

test("a remote that redirects elsewhere does not get the token sent along", async () => {
  const seen: (string | null)[] = [];
  const elsewhere = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      seen.push(request.headers.get("authorization"));
      return new Response("not here", { status: 404 });
    },
  });
  // Asks for credentials, then sends the request with them to another origin.
  const redirecting = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      if (!request.headers.get("authorization"))
        return new Response("auth required", {
          status: 401,
          headers: { "www-authenticate": 'Basic realm="x"' },
        });
      const url = new URL(request.url);
      return Response.redirect(`${elsewhere.url.href.replace(/\/$/, "")}${url.pathname}${url.search}`, 302);
    },
  });
  try {
    const client = api(t, (await registerUser(t)).auth);
    const res = await client.post("/api/v1/projects/import/git", {
      url: `${redirecting.url.href}repo.git`,
      token: TOKEN,
    });
    expect(res.status).toBe(400);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(seen.map(() => null));
  } finally {
    await redirecting.stop(true);
    await elsewhere.stop(true);
  }
});

test("a token is offered only to remotes on the host it was saved for, not to one another member chose", async () => {
  // Bob's token, saved as he imported from his remote, is for that remote's host.
  const bob = await registerUser(t);
  const asBob = api(t, bob.auth);
  const mine = await asBob.post("/api/v1/projects/import/git", {
    url: remote.createRepo(`bobs-${crypto.randomUUID().slice(0, 8)}`, { "a.txt": "a\n" }),
    token: TOKEN,
  });
  expect(mine.status).toBe(201);
  // Alice's project comes from a remote on another host (port) that asks for credentials to push.
  const asked: string[] = [];
  const other = startGitServer({
    canPush: async (password) => {
      asked.push(password);
      return false;
    },
  });
  try {
    const alice = api(t, (await registerUser(t)).auth);
    const created = await alice.post("/api/v1/projects/import/git", {
      url: other.createRepo("alices", { "b.txt": "b\n" }),
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    await alice.post(`/api/v1/projects/${id}/members`, { email: bob.email, role: "editor" });
    await asBob.put(`/api/v1/projects/${id}/files/b.txt`, { content: "bob\n" });
    expect((await asBob.post(`/api/v1/projects/${id}/git/commit`, { message: "Bob's" })).status).toBe(201);
    const pushed = await asBob.post(`/api/v1/projects/${id}/git/push`, {});
    expect(pushed.status).toBe(403);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked).not.toContain(TOKEN);

    // Saved for that host on purpose, it is offered there.
    const host = new URL(other.url).host;
    expect((await asBob.put("/api/v1/git/token", { token: TOKEN, host })).status).toBe(204);
    expect((await asBob.post(`/api/v1/projects/${id}/git/push`, {})).status).toBe(403);
    expect(asked).toContain(TOKEN);
  } finally {
    await other.stop();
  }
});
