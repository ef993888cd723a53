import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { unzipSync } from "fflate";
import { gitCredentials } from "../../src/db/schema/git.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { api } from "../helpers/projects.ts";

const TOKEN = "ghp_exportedNeverTokenValue789";

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

/** Whether `needle` occurs anywhere in `haystack`, byte for byte. */
const holds = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).indexOf(needle) >= 0;

test("the export has each owned project's git link and the saved token's host, never the token", async () => {
  const user = await registerUser(t);
  const client = api(t, user.auth);
  const big = new Uint8Array(6 * 1024 * 1024).map((_, i) => (i * 7919) % 251);
  const url = remote.createRepo("exported", { "README.md": "# Exported\n", "big.bin": big });
  const imported = await client.post("/api/v1/projects/import/git", { url, token: TOKEN });
  expect(imported.status).toBe(201);
  const project = (await imported.json()) as { id: string };
  const plain = await client.project({ name: "No remote" });
  const tip = runGit(remote.cloneRepo("exported"), "rev-parse", "HEAD");

  const res = await client.get("/api/v1/auth/me/export");
  expect(res.status).toBe(200);
  const archive = new Uint8Array(await res.arrayBuffer());
  const files = unzipSync(archive);
  const text = (name: string) => new TextDecoder().decode(files[name]);

  const folder = `projects/exported-${project.id.slice(0, 8)}`;
  expect(JSON.parse(text(`${folder}/git.json`))).toEqual({
    remoteUrl: url,
    branch: "main",
    headOid: tip,
    remoteOid: tip,
    skipped: ["big.bin"],
    updatedAt: expect.any(String),
  });
  // A project with no remote has no git.json.
  const plainFolder = `projects/No-remote-${plain.id.slice(0, 8)}`;
  expect(files[`${plainFolder}/project.json`]).toBeDefined();
  expect(files[`${plainFolder}/git.json`]).toBeUndefined();

  const profile = JSON.parse(text("profile.json"));
  expect(profile.gitTokens).toEqual([{ host: new URL(url).host, savedAt: expect.any(String) }]);

  // Neither the token nor its sealed form is anywhere: not in the archive's bytes, not in any
  // file once inflated.
  const [sealed] = await (await t.deps.db.get())
    .select()
    .from(gitCredentials)
    .where(eq(gitCredentials.userId, user.user.id));
  expect(sealed).toBeDefined();
  const ciphertext = new Uint8Array(sealed!.ciphertext);
  const secrets = [
    new TextEncoder().encode(TOKEN),
    ciphertext,
    new TextEncoder().encode(Buffer.from(ciphertext).toString("hex")),
    new TextEncoder().encode(Buffer.from(ciphertext).toString("base64")),
  ];
  for (const secret of secrets) {
    expect(holds(archive, secret)).toBe(false);
    for (const [name, data] of Object.entries(files))
      expect({ name, holds: holds(data, secret) }).toEqual({ name, holds: false });
  }
}, 60_000);

test("someone with no saved token exports an empty list of token hosts", async () => {
  const user = await registerUser(t);
  const files = unzipSync(
    new Uint8Array(await (await api(t, user.auth).get("/api/v1/auth/me/export")).arrayBuffer()),
  );
  expect(JSON.parse(new TextDecoder().decode(files["profile.json"])).gitTokens).toEqual([]);
});

test("a saved token that no longer opens is exported with no host", async () => {
  const user = await registerUser(t);
  const client = api(t, user.auth);
  expect((await client.put("/api/v1/git/token", { token: TOKEN, host: "git.example.com" })).status).toBe(204);
  // As if sealed under an earlier secret: it cannot be opened, so it is offered nowhere.
  await (await t.deps.db.get())
    .update(gitCredentials)
    .set({ ciphertext: crypto.getRandomValues(new Uint8Array(48)) })
    .where(eq(gitCredentials.userId, user.user.id));
  const files = unzipSync(new Uint8Array(await (await client.get("/api/v1/auth/me/export")).arrayBuffer()));
  expect(JSON.parse(new TextDecoder().decode(files["profile.json"])).gitTokens).toEqual([
    { host: null, savedAt: expect.any(String) },
  ]);
});
