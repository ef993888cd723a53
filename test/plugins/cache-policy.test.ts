import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, postJson } from "../helpers/auth.ts";
import { browserSession, registerThroughForm } from "../helpers/html.ts";
import { api } from "../helpers/projects.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h" });
}, 60_000);
afterAll(() => t.close());

/** Never stored by a browser or proxy, and keyed to the credential the face reads. */
function expectPrivate(res: Response, credential: "cookie" | "authorization", what: string) {
  expect({ what, cacheControl: res.headers.get("cache-control") }).toEqual({
    what,
    cacheControl: "no-store",
  });
  const vary = (res.headers.get("vary") ?? "").toLowerCase();
  expect({ what, varies: vary.split(/\s*,\s*/).includes(credential) }).toEqual({ what, varies: true });
}

describe("responses that depend on the session are never cached", () => {
  test("signed-in pages, fragments and redirects of the HTML face: no-store, Vary: Cookie", async () => {
    const browser = await registerThroughForm(t, newAccount());
    const { res: created } = await browser.post("/projects", { name: "Cache", language: "javascript" });
    const id = /\/projects\/([0-9a-f-]{36})/.exec(created.headers.get("location") ?? "")?.[1];
    expect(id).toBeString();
    const htmx = { "hx-request": "true" };
    const routes: [string, Record<string, string>?][] = [
      ["/projects"],
      ["/projects", htmx],
      [`/projects/${id}`],
      [`/projects/${id}?file=index.js`],
      [`/projects/${id}/tree`, htmx],
      [`/projects/${id}/open?file=index.js`, htmx],
      [`/projects/${id}/words`],
      ["/account"],
      ["/account/sessions"],
      ["/account/sessions", htmx],
      ["/usage"],
      ["/"],
      ["/login"],
      ["/register"],
      [`/projects/${crypto.randomUUID()}`],
    ];
    for (const [path, headers] of routes) {
      const { res } = await browser.get(path, headers);
      expect(res.status).toBeLessThan(500);
      expectPrivate(res, "cookie", `GET ${path}${headers ? " (htmx)" : ""}`);
    }
    const { res: out } = await browser.post("/logout");
    expectPrivate(out, "cookie", "POST /logout");
  });

  test("signed-out pages that set the CSRF cookie or sign in are not cached either", async () => {
    const anonymous = browserSession(t);
    const first = await anonymous.get("/login");
    expect(first.res.headers.getSetCookie().some((c) => c.startsWith("aura_csrf="))).toBe(true);
    expectPrivate(first.res, "cookie", "GET /login issuing the CSRF cookie");
    for (const path of ["/register", "/", "/account", "/projects", "/no-such-page"]) {
      const { res } = await anonymous.get(path);
      expectPrivate(res, "cookie", `signed out GET ${path}`);
    }
    const account = newAccount();
    const { res } = await anonymous.post("/register", account);
    expect(res.status).toBe(303);
    expectPrivate(res, "cookie", "POST /register (sets the session cookies)");
    const failed = await browserSession(t).post("/login", {
      email: account.email,
      password: "not it at all",
    });
    expectPrivate(failed.res, "cookie", "POST /login failing");
  });

  test("the JSON face's user data: no-store, Vary: Authorization", async () => {
    const account = newAccount();
    const registered = await postJson(t, "/api/v1/auth/register", account);
    expectPrivate(registered, "authorization", "POST /api/v1/auth/register");
    const tokens = await registered.json();
    const user = api(t, { authorization: `Bearer ${tokens.token}` });
    const project = await user.project();
    const responses: [string, Response][] = [
      ["GET /api/v1/auth/me", await user.get("/api/v1/auth/me")],
      ["GET /api/v1/auth/sessions", await user.get("/api/v1/auth/sessions")],
      ["GET /api/v1/projects", await user.get("/api/v1/projects")],
      ["GET /api/v1/projects/:id", await user.get(`/api/v1/projects/${project.id}`)],
      ["GET /api/v1/projects/:id/files", await user.get(`/api/v1/projects/${project.id}/files`)],
      ["GET /api/v1/projects/:id/files/*", await user.get(`/api/v1/projects/${project.id}/files/index.js`)],
      ["GET /api/v1/auth/me without a token", await t.request("/api/v1/auth/me")],
      [
        "POST /api/v1/auth/login",
        await postJson(t, "/api/v1/auth/login", { email: account.email, password: account.password }),
      ],
      [
        "POST /api/v1/auth/refresh",
        await postJson(t, "/api/v1/auth/refresh", { refreshToken: tokens.refreshToken }),
      ],
    ];
    for (const [what, res] of responses) {
      expect({ what, status: res.status < 500 }).toEqual({ what, status: true });
      expectPrivate(res, "authorization", what);
    }
  });

  test("hashed static assets keep their long public cache and do not vary on the session", async () => {
    const html = await (await t.request("/login")).text();
    const css = /href="(\/assets\/app\.[0-9a-f]{10}\.css)"/.exec(html)![1]!;
    const res = await t.request(css);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("vary") ?? "").not.toMatch(/cookie|authorization/i);
  });
});
