import { afterAll, beforeAll, expect, test } from "bun:test";
import { getUserByEmail } from "../../src/db/queries/users.ts";
import { saveFile } from "../../src/features/files/service.ts";
import { hasGitToken } from "../../src/features/git/credentials.ts";
import type { TestApp } from "../helpers/app.ts";
import { type GitServer, runGit, startGitServer } from "../helpers/git-server.ts";
import { browserSession } from "../helpers/html.ts";
import { ORIGIN, oauthHarness, unique } from "../helpers/oauth-browser.ts";

let h: Awaited<ReturnType<typeof oauthHarness>>;
let remote: GitServer;
beforeAll(async () => {
  h = await oauthHarness({ GIT_ALLOW_PRIVATE_REMOTES: "1", RATE_LIMIT_REGISTER: "1000/1h" });
  // Pushing needs a token the GitHub stand-in issued, as GitHub wants one of its own.
  remote = startGitServer({
    canPush: async (password) =>
      password !== "" &&
      (await fetch(`${h.provider.url}/github/user`, { headers: { authorization: `Bearer ${password}` } })).ok,
  });
}, 60_000);
afterAll(async () => {
  await remote.stop();
  h.provider.stop();
  await h.t.close();
});

test("a refused push offers GitHub's repo scope, asked for only then, and pushes with the grant", async () => {
  // A browser on the app the harness points at the stand-in.
  const browser = browserSession({
    request: (path: string, init?: RequestInit) => h.app.handle(new Request(`${ORIGIN}${path}`, init)),
  } as TestApp);
  const email = unique("grant");
  await browser.get("/register");
  const registered = await browser.post("/register", {
    email,
    password: "correct horse battery",
    firstName: "Ada",
    lastName: "Lovelace",
  });
  expect(registered.res.status).toBe(303);
  const user = await getUserByEmail(await h.t.deps.db.get(), email);

  const url = remote.createRepo("granted", { "a.txt": "a\n" });
  const imported = await browser.post("/projects/import/git", { url });
  expect(imported.res.status).toBe(303);
  const projectId = imported.res.headers.get("location")!.split("/")[2]!;
  await saveFile(h.t.deps, user!.id, { projectId, path: "a.txt", content: "b\n" });
  expect((await browser.post(`/projects/${projectId}/git/commit`, { message: "B" })).html).toContain(
    "Committed",
  );

  const refused = await browser.post(`/projects/${projectId}/git/push`);
  expect(refused.html).toContain("data-git-grant");
  expect(refused.html).toContain(`href="/projects/${projectId}/git/github"`);
  expect(refused.html).toContain("repo");

  const start = await browser.get(`/projects/${projectId}/git/github`);
  expect(start.res.status).toBe(302);
  const authorize = new URL(start.res.headers.get("location")!);
  expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(["read:user", "user:email", "repo"]);
  const callback = await h.consent(authorize.href);
  const back = await browser.get(callback);
  expect(back.res.status).toBe(302);
  expect(back.res.headers.get("location")).toBe(`/projects/${projectId}?git=github`);
  expect(await hasGitToken(h.t.deps, user!.id)).toBe(true);

  const pushed = await browser.post(`/projects/${projectId}/git/push`);
  expect(pushed.html).toContain("Pushed");
  const work = remote.cloneRepo("granted");
  expect(runGit(work, "log", "-1", "--format=%an|%s")).toBe("Ada Lovelace|B");
  // The project page takes the grant's return address.
  expect((await browser.get(`/projects/${projectId}?git=github`)).res.status).toBe(200);
});

test("signing in with GitHub asks for no repository access", async () => {
  const { authorizeUrl } = await h.start("github");
  expect(new URL(authorizeUrl).searchParams.get("scope")).toBe("read:user user:email");
});
