import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { getUserByEmail } from "../../src/db/queries/users.ts";
import { listProjectFiles } from "../../src/features/files/service.ts";
import * as projects from "../../src/features/projects/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, registerUser } from "../helpers/auth.ts";
import { type browserSession, injectedElements, registerThroughForm } from "../helpers/html.ts";

type Browser = ReturnType<typeof browserSession>;
const HX = { "hx-request": "true" };
let t: TestApp;
let me: Browser;
let myId: string;
let theirId: string;

/** Create a project straight through the service (the form has its own tests). */
const make = (name: string, language: "javascript" | "python" | "css" = "javascript", userId = myId) =>
  projects.createProject(t.deps, userId, { name, language });

/** The project names in a page or fragment, in order. */
const namesIn = (html: string) =>
  [...html.matchAll(/<a href="\/projects\/[0-9a-f-]{36}"[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]);

beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_EDITOR: "100000/1m", RATE_LIMIT_REGISTER: "1000/1h" });
  const account = newAccount();
  me = await registerThroughForm(t, account);
  myId = (await getUserByEmail(await t.deps.db.get(), account.email))!.id;
  theirId = (await registerUser(t)).user.id;
}, 60_000);
afterAll(() => t.close());

describe("the dashboard", () => {
  test("a new user sees the empty state inviting the first project, with the New project dialog", async () => {
    const { res, html } = await me.get("/projects");
    expect(res.status).toBe(200);
    expect(html).toContain("No projects yet");
    expect(html).toContain('commandfor="new-project" command="show-modal"');
    expect(html).toMatch(/<dialog id="new-project"/);
    expect(html).toContain('name="_csrf"');
  });

  test("signed out, /projects sends the visitor to sign in", async () => {
    const res = await t.request("/projects");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Fprojects");
  });

  test("a page past 1,000,000 is a 400 naming query.page, on the page and in the fragment", async () => {
    for (const headers of [{}, HX]) {
      const { res, html } = await me.get("/projects?page=1e308", headers);
      expect(res.status).toBe(400);
      expect(html).toContain("query.page");
      expect(html).not.toContain("select");
    }
  });

  test("lists, pages, searches and sorts; htmx gets only the table", async () => {
    await make("alpha", "python");
    await make("Beta", "css");
    await make("gamma");
    await make("delta");
    await make("epsilon", "python");
    const page = await me.get("/projects?sort=name&limit=2");
    expect(namesIn(page.html)).toEqual(["alpha", "Beta"]);
    expect(page.html).toContain("1–2 of 5");
    expect(page.html).toContain("<h1");

    const second = await me.get("/projects?sort=name&limit=2&page=2", HX);
    expect(second.html.startsWith('<div id="projects-table"')).toBe(true);
    expect(second.html).not.toContain("<h1");
    expect(namesIn(second.html)).toEqual(["delta", "epsilon"]);
    expect(second.html).toContain("3–4 of 5");
    expect(second.html).toContain('href="/projects?sort=name&limit=2"'); // previous: page 1
    expect(second.html).toContain('href="/projects?sort=name&page=3&limit=2"');

    const found = await me.get("/projects?q=ELTA", HX);
    expect(namesIn(found.html)).toEqual(["delta"]);
    const none = await me.get("/projects?q=zzz", HX);
    expect(none.html).toContain("No projects match");

    const desc = await me.get("/projects?sort=name&order=desc", HX);
    expect(namesIn(desc.html)).toEqual(["gamma", "epsilon", "delta", "Beta", "alpha"]);
    expect(desc.html).toMatch(/aria-sort="descending"[^>]*>\s*<a href="\/projects\?sort=name"/);
    const byLanguage = await me.get("/projects?sort=language", HX);
    expect(namesIn(byLanguage.html).slice(0, 1)).toEqual(["Beta"]);
    expect(byLanguage.html).toContain('aria-sort="ascending"');
    // Past the last page: the last page, not an empty one.
    expect(namesIn((await me.get("/projects?sort=name&limit=2&page=9", HX)).html)).toEqual(["gamma"]);
    expect((await me.get("/projects?page=0")).res.status).toBe(400);
  });

  test("last modified is relative with the absolute time as its title", async () => {
    const { html } = await me.get("/projects");
    expect(html).toMatch(/<time datetime="[^"]+" title="\d+ \w+ \d{4}, \d\d:\d\d UTC">just now<\/time>/);
  });
});

describe("creating a project", () => {
  test("the form creates it from the chosen template and goes to the new project", async () => {
    const { res } = await me.post("/projects", {
      name: "From the form",
      description: "made in a test",
      language: "python",
      template: "python-starter",
    });
    expect(res.status).toBe(303);
    const id = /^\/projects\/([0-9a-f-]{36})$/.exec(res.headers.get("location") ?? "")?.[1];
    expect(id).toBeDefined();
    const files = await listProjectFiles(t.deps, myId, id!);
    expect(files.map((f) => f.path).sort()).toEqual(["README.md", "main.py"]);
    const htmx = await me.post("/projects", { name: "Via htmx", language: "css" }, HX);
    expect(htmx.res.status).toBe(200);
    expect(htmx.res.headers.get("hx-location")).toMatch(/^\/projects\/[0-9a-f-]{36}$/);
  });

  test("invalid input comes back as 422 with inline errors and the typed values kept", async () => {
    const { res, html } = await me.post(
      "/projects",
      { name: "   ", description: "keep <me>", language: "python", template: "css-starter" },
      HX,
    );
    expect(res.status).toBe(422);
    expect(html.startsWith('<form id="new-project-form"')).toBe(true);
    expect(html).toContain("Name is required");
    expect(html).toContain("keep &lt;me&gt;</textarea>");
    expect(html).toMatch(/<option value="python" selected/);
    const template = await me.post(
      "/projects",
      { name: "ok", language: "python", template: "css-starter" },
      HX,
    );
    expect(template.res.status).toBe(422);
    expect(template.html).toContain("Choose a template for the selected language");
    expect(template.html).toContain('value="ok"');
    // Without htmx: the whole page with the dialog open.
    const plain = await me.post("/projects", { name: "x".repeat(101), language: "javascript" });
    expect(plain.res.status).toBe(422);
    expect(plain.html).toMatch(/<dialog id="new-project"[^>]* open/);
    expect(plain.html).toContain("Name must be at most 100 characters");
  });

  test("the template choice follows the language", async () => {
    const { html } = await me.get("/projects/templates?language=typescript", HX);
    expect(html).toContain('value="typescript-starter"');
    expect(html).not.toContain("javascript-starter");
  });
});

describe("renaming and deleting", () => {
  test("rename answers the refreshed table and a toast out of band; blank names are 422", async () => {
    const p = await make("old name");
    const { res, html } = await me.post(`/projects/${p.id}/rename`, { name: "new name", sort: "name" }, HX);
    expect(res.status).toBe(200);
    expect(html).toContain('<div id="projects-table" class="mt-6" hx-swap-oob="true"');
    expect(html).toContain('hx-swap-oob="innerHTML"');
    expect(html).toContain("Renamed to “new name”.");
    expect((await projects.getProject(t.deps, myId, p.id)).name).toBe("new name");
    const blank = await me.post(`/projects/${p.id}/rename`, { name: "  " }, HX);
    expect(blank.res.status).toBe(422);
    expect(blank.html).toContain("Name is required");
    const plain = await me.post(`/projects/${p.id}/rename`, { name: "plain", sort: "name", q: "pl" });
    expect(plain.res.status).toBe(303);
    expect(plain.res.headers.get("location")).toBe("/projects?q=pl&sort=name");
  });

  test("delete (the dialog's form) removes it and says so", async () => {
    const p = await make("doomed");
    expect((await me.get("/projects")).html).toContain(`<dialog id="delete-${p.id}"`);
    const { res, html } = await me.post(`/projects/${p.id}/delete`, {}, HX);
    expect(res.status).toBe(200);
    expect(html).toContain("Deleted “doomed”.");
    expect(namesIn(html)).not.toContain("doomed");
    const gone = await projects.getProject(t.deps, myId, p.id).catch((e) => e);
    expect(gone).toBeInstanceOf(Error);
  });

  test("every POST needs the CSRF token", async () => {
    const p = await make("guarded");
    for (const [path, fields] of [
      ["/projects", { name: "sneaky", language: "javascript" }],
      [`/projects/${p.id}/rename`, { name: "sneaky" }],
      [`/projects/${p.id}/delete`, {}],
    ] as const) {
      expect((await me.post(path, { ...fields, _csrf: "forged" })).res.status).toBe(403);
    }
    expect((await projects.getProject(t.deps, myId, p.id)).name).toBe("guarded");
  });

  test("someone else's project is a 404 on rename and delete, and stays as it was", async () => {
    const theirs = await make("not yours", "javascript", theirId);
    expect((await me.post(`/projects/${theirs.id}/rename`, { name: "mine now" }, HX)).res.status).toBe(404);
    expect((await me.post(`/projects/${theirs.id}/rename`, { name: "" }, HX)).res.status).toBe(404);
    expect((await me.post(`/projects/${theirs.id}/delete`, {}, HX)).res.status).toBe(404);
    expect((await projects.getProject(t.deps, theirId, theirs.id)).name).toBe("not yours");
  });
});

test("hostile project names display as text, verbatim", async () => {
  const names = ["<img src=x onerror=alert(1)>", "Robert'); DROP TABLE projects;--"];
  for (const name of names) await make(name);
  const { html } = await me.get("/projects?limit=100");
  expect(await injectedElements(html)).toEqual([]);
  expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  expect(html).toContain("Robert&#x27;); DROP TABLE projects;--");
  const search = await me.get(`/projects?q=${encodeURIComponent("<img")}`, HX);
  expect(namesIn(search.html)).toEqual(["&lt;img src=x onerror=alert(1)&gt;"]);
  expect(await injectedElements(search.html)).toEqual([]);
});
