import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount } from "../helpers/auth.ts";
import { browserSession, CookieJar, csrfFieldOf } from "../helpers/html.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_LOGIN: "1000/15m" });
}, 60_000);
afterAll(() => t.close());

/** A fresh CSRF cookie and its token, as a browser gets them from the login page. */
async function csrfPair() {
  const res = await t.request("/login");
  const jar = new CookieJar().update(res);
  return { cookie: jar.header(), token: csrfFieldOf(await res.text())! };
}

function postLogin(fields: Record<string, string>, headers: Record<string, string>) {
  return t.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ email: "nobody@example.com", password: "wrong password", ...fields }),
  });
}

describe("CSRF protection of HTML forms", () => {
  test("a form page issues an HttpOnly SameSite=Lax CSRF cookie and puts its token in the form", async () => {
    const res = await t.request("/login");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("aura_csrf="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(csrfFieldOf(await res.text())).toMatch(/^[\w-]{43}$/);
  });

  test("a request with a valid token and Origin passes the check", async () => {
    const { cookie, token } = await csrfPair();
    const res = await postLogin({ _csrf: token }, { cookie, origin: "http://localhost" });
    expect(res.status).toBe(401); // reached the login service: wrong credentials, not a CSRF failure
  });

  test("the token is also accepted in the X-CSRF-Token header that htmx sends", async () => {
    const { cookie, token } = await csrfPair();
    const res = await postLogin({}, { cookie, origin: "http://localhost", "x-csrf-token": token });
    expect(res.status).toBe(401);
  });

  test("a missing token is 403 csrf_failed", async () => {
    const { cookie } = await csrfPair();
    const res = await postLogin({}, { cookie, origin: "http://localhost" });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Reload the page");
  });

  test("a wrong token is 403", async () => {
    const { cookie, token } = await csrfPair();
    const wrong = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    expect((await postLogin({ _csrf: wrong }, { cookie, origin: "http://localhost" })).status).toBe(403);
  });

  test("a token that belongs to another CSRF cookie is 403", async () => {
    const mine = await csrfPair();
    const theirs = await csrfPair();
    const res = await postLogin({ _csrf: theirs.token }, { cookie: mine.cookie, origin: "http://localhost" });
    expect(res.status).toBe(403);
  });

  test("a token without its cookie is 403", async () => {
    const { token } = await csrfPair();
    expect((await postLogin({ _csrf: token }, { origin: "http://localhost" })).status).toBe(403);
  });

  test("a foreign Origin is 403 even with a valid token", async () => {
    const { cookie, token } = await csrfPair();
    for (const origin of ["https://evil.example", "http://localhost:8080", "null"]) {
      expect((await postLogin({ _csrf: token }, { cookie, origin })).status).toBe(403);
    }
  });

  test("without Origin the Referer's origin is checked, and with neither the request is 403", async () => {
    const { cookie, token } = await csrfPair();
    expect((await postLogin({ _csrf: token }, { cookie, referer: "http://localhost/login" })).status).toBe(
      401,
    );
    expect((await postLogin({ _csrf: token }, { cookie, referer: "https://evil.example/x" })).status).toBe(
      403,
    );
    expect((await postLogin({ _csrf: token }, { cookie })).status).toBe(403);
  });

  test("behind a trusted proxy the forwarded scheme and host are the app's origin", async () => {
    const proxied = await createTestApp({ TRUST_PROXY: "1" });
    try {
      const res = await proxied.request("/login");
      const cookie = new CookieJar().update(res).header();
      const token = csrfFieldOf(await res.text())!;
      const post = (origin: string) =>
        proxied.request("/logout", {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            cookie,
            origin,
            "x-forwarded-proto": "https",
            "x-forwarded-host": "aura.example.com",
          },
          body: new URLSearchParams({ _csrf: token }),
        });
      expect((await post("https://aura.example.com")).status).toBe(303);
      expect((await post("http://localhost")).status).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  test("forwarded headers are ignored when no proxy is trusted", async () => {
    const { cookie, token } = await csrfPair();
    const res = await postLogin(
      { _csrf: token },
      {
        cookie,
        origin: "https://aura.example.com",
        "x-forwarded-host": "aura.example.com",
        "x-forwarded-proto": "https",
      },
    );
    expect(res.status).toBe(403);
  });

  test("signed-in forms are protected too: sign-out and session revokes without a token are 403", async () => {
    const browser = browserSession(t);
    await browser.get("/register");
    expect((await browser.post("/register", newAccount())).res.status).toBe(303);
    for (const path of ["/logout", "/account/sessions/revoke-others"]) {
      const { res } = await browser.post(path, { _csrf: "" });
      expect(res.status).toBe(403);
    }
    expect((await browser.get("/account")).res.status).toBe(200); // still signed in
  });

  test("the JSON face is not subject to the CSRF check", async () => {
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ email: "nobody@example.com", password: "wrong password" }),
    });
    expect(res.status).toBe(401);
  });
});
