import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getUserByEmail } from "../../src/db/queries/users.ts";
import { saveFile } from "../../src/features/files/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { type GitServer, startGitServer } from "../helpers/git-server.ts";
import { registerThroughForm } from "../helpers/html.ts";

let t: TestApp;
let remote: GitServer;
beforeAll(async () => {
  t = await createTestApp({ GIT_ALLOW_PRIVATE_REMOTES: "1", RATE_LIMIT_REGISTER: "1000/1h" });
  remote = startGitServer();
}, 60_000);
afterAll(async () => {
  await remote.stop();
  await t.close();
});

const HX = { "hx-request": "true" };
const person = (email = `pages-${crypto.randomUUID().slice(0, 8)}@example.com`) =>
  registerThroughForm(t, {
    email,
    password: "correct horse battery",
    firstName: "Ada",
    lastName: "Lovelace",
  });

type Session = Awaited<ReturnType<typeof person>>;

/** Poll an import's status as the dialog does, until it stops polling; the last answer. */
async function follow(browser: Session, html: string) {
  for (let i = 0; i < 200; i++) {
    const poll = /hx-get="(\/projects\/import\/git\/[0-9a-f-]{36})"/.exec(html)?.[1];
    if (!poll) return { html, location: undefined };
    const next = await browser.get(poll, HX);
    const location = next.res.headers.get("hx-location");
    if (location) return { html: next.html, location };
    html = next.html;
    await Bun.sleep(25);
  }
  throw new Error("the import never finished");
}

describe("the dashboard's import", () => {
  test("answers a progress bar that polls until the project opens", async () => {
    const browser = await person();
    const dashboard = await browser.get("/projects");
    expect(dashboard.html).toContain("New project from Git URL");
    const url = remote.createRepo("dialog", { "index.html": "<h1>Hi</h1>\n" });
    const started = await browser.post("/projects/import/git", { url, branch: "", token: "" }, HX);
    expect(started.res.status).toBe(200);
    expect(started.html).toContain("data-git-progress");
    const { location } = await follow(browser, started.html);
    expect(location).toMatch(/^\/projects\/[0-9a-f-]{36}$/);
    const page = await browser.get(location!);
    expect(page.html).toContain("data-git-open");

    // Someone else cannot read the job.
    const jobPath = /hx-get="(\/projects\/import\/git\/[0-9a-f-]{36})"/.exec(started.html)![1]!;
    const stranger = await person();
    expect((await stranger.get(jobPath, HX)).res.status).toBe(404);
  });

  test("a refusal found while cloning is said where the progress was", async () => {
    const browser = await person();
    const started = await browser.post("/projects/import/git", { url: `${remote.url}/missing.git` }, HX);
    const { html, location } = await follow(browser, started.html);
    expect(location).toBeUndefined();
    expect(html).toContain("data-git-import-error");
    expect(html).toContain("no git repository at this URL");
  });

  test("an empty repository is refused in the dialog, and no project is left", async () => {
    const browser = await person();
    const url = remote.createEmptyRepo("dialog-empty");
    const started = await browser.post("/projects/import/git", { url }, HX);
    const { html, location } = await follow(browser, started.html);
    expect(location).toBeUndefined();
    expect(html).toContain("data-git-import-error");
    expect(html).toContain("the repository is empty");
    expect((await browser.get("/projects")).html).not.toContain("dialog-empty");
  });

  test("a bad branch name is a 400 before anything starts", async () => {
    const browser = await person();
    const res = await browser.post("/projects/import/git", { url: `${remote.url}/x.git`, branch: "-x" }, HX);
    expect(res.res.status).toBe(400);
    expect(res.html).toContain("branch:");
  });
});

test("a project without git has no Git button, and its panel is a 404", async () => {
  const browser = await person();
  const created = await browser.post("/projects", { name: "Plain", language: "javascript" });
  const id = (created.res.headers.get("location") ?? created.res.headers.get("hx-location") ?? "").split(
    "/",
  )[2];
  expect(id).toBeTruthy();
  expect((await browser.get(`/projects/${id}`)).html).not.toContain("data-git-open");
  expect((await browser.get(`/projects/${id}/git`, HX)).res.status).toBe(404);
});

test("the side-by-side view's texts: the last commit and now, for members only and changed files only", async () => {
  const email = `pages-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const browser = await person(email);
  const url = remote.createRepo("compare", { "a.js": "one\n", "same.txt": "same\n" });
  const started = await browser.post("/projects/import/git", { url }, HX);
  const { location } = await follow(browser, started.html);
  const id = location!.split("/")[2]!;
  const user = await getUserByEmail(await t.deps.db.get(), email);
  await saveFile(t.deps, user!.id, { projectId: id, path: "a.js", content: "two\n" });
  await saveFile(t.deps, user!.id, { projectId: id, path: "new.md", content: "# New\n" });
  const compare = (session: typeof browser, path: string) =>
    session.get(`/projects/${id}/git/compare?path=${encodeURIComponent(path)}`, {
      accept: "application/json",
    });

  const panel = await browser.get(`/projects/${id}/git`, HX);
  expect(panel.html).toContain('data-git-compare="a.js"');
  const modified = await compare(browser, "a.js");
  expect(modified.res.status).toBe(200);
  expect(JSON.parse(modified.html)).toEqual({
    path: "a.js",
    status: "modified",
    before: "one\n",
    after: "two\n",
  });
  expect(JSON.parse((await compare(browser, "new.md")).html)).toMatchObject({ before: "", after: "# New\n" });
  // Not a change, or not a file at all: nothing to compare.
  expect((await compare(browser, "same.txt")).res.status).toBe(404);
  expect((await compare(browser, "../etc/passwd")).res.status).toBe(404);
  // Someone who is not a member is answered as the status answers them.
  const stranger = await person();
  expect((await compare(stranger, "a.js")).res.status).toBe(404);
});

test("the panel's routes: a stranger gets 404 on each, a viewer sees the panel but cannot commit, push or pull", async () => {
  const ownerEmail = `pages-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const owner = await person(ownerEmail);
  const url = remote.createRepo("guarded-panel", { "a.js": "one\n" });
  const { location } = await follow(owner, (await owner.post("/projects/import/git", { url }, HX)).html);
  const id = location!.split("/")[2]!;
  const ownerId = (await getUserByEmail(await t.deps.db.get(), ownerEmail))!.id;
  await saveFile(t.deps, ownerId, { projectId: id, path: "a.js", content: "two\n" });

  const stranger = await person();
  expect((await stranger.get(`/projects/${id}/git`, HX)).res.status).toBe(404);
  expect((await stranger.get(`/projects/${id}/git/github`)).res.status).toBe(404);
  const actions = [`/projects/${id}/git/commit`, `/projects/${id}/git/push`, `/projects/${id}/git/pull`];
  for (const action of actions)
    expect((await stranger.post(action, { message: "x" }, HX)).res.status).toBe(404);

  const viewerEmail = `pages-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const viewer = await person(viewerEmail);
  const shared = await owner.post(`/projects/${id}/members`, { email: viewerEmail, role: "viewer" }, HX);
  expect(shared.res.status).toBe(200);
  expect((await viewer.get(`/projects/${id}/git`, HX)).res.status).toBe(200);
  expect((await viewer.get(`/projects/${id}/git/github`)).res.status).toBe(403);
  for (const action of actions) {
    const refused = await viewer.post(action, { message: "by a viewer" }, HX);
    expect(refused.html).toContain('data-git-notice="error"');
  }
  // Nothing was committed: the change is still there, and the remote has one commit.
  const status = await owner.get(`/projects/${id}/git`, HX);
  expect(status.html).toContain('data-git-compare="a.js"');
});
