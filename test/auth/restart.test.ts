import { describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, postJson, registerUser } from "../helpers/auth.ts";
import { registerThroughForm } from "../helpers/html.ts";

/**
 * What a sign-out or a lockout decided must still hold after the server restarts on the same
 * data, on the embedded stores too (no Redis: the in-process cache starts empty).
 */
const me = (t: TestApp, token: string) =>
  t.request("/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } });
const from = (ip: string) => ({ "x-forwarded-for": ip });

/** Run `body` with an app it may restart; whichever instance is current at the end is closed. */
async function withApp(env: Record<string, string>, body: (app: { t: TestApp }) => Promise<void>) {
  const app = { t: await createTestApp(env) };
  try {
    await body(app);
  } finally {
    await app.t.close();
  }
}

describe("after a restart", () => {
  test("an access token of a session ended by logout on the JSON face is still refused", async () => {
    await withApp({}, async (app) => {
      const user = await registerUser(app.t);
      expect((await me(app.t, user.token)).status).toBe(200);
      const out = await postJson(app.t, "/api/v1/auth/logout", { refreshToken: user.refreshToken });
      expect(out.status).toBe(204);
      expect((await me(app.t, user.token)).status).toBe(401);

      app.t = await app.t.restart();
      expect((await me(app.t, user.token)).status).toBe(401);
      const refreshed = await postJson(app.t, "/api/v1/auth/refresh", { refreshToken: user.refreshToken });
      expect(refreshed.status).toBe(401);
      // The account is fine: a new sign-in gets a token that works.
      const again = await postJson(app.t, "/api/v1/auth/login", {
        email: user.email,
        password: user.password,
      });
      expect((await me(app.t, (await again.json()).token)).status).toBe(200);
    });
  }, 90_000);

  test("the cookies of a browser that signed out on the HTML face are still refused", async () => {
    await withApp({}, async (app) => {
      const browser = await registerThroughForm(app.t, newAccount());
      expect((await browser.get("/account")).res.status).toBe(200);
      const before = browser.jar.header();
      const accessOnly = `aura_at=${browser.jar.values.get("aura_at")}`;
      expect((await browser.post("/logout")).res.status).toBe(303);

      app.t = await app.t.restart();
      for (const cookie of [before, accessOnly]) {
        const res = await app.t.request("/account", { headers: { cookie } });
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toStartWith("/login");
      }
    });
  }, 90_000);

  test("a session revoked from the sessions page stays revoked", async () => {
    await withApp({}, async (app) => {
      const user = await registerUser(app.t);
      const other = await postJson(app.t, "/api/v1/auth/login", {
        email: user.email,
        password: user.password,
      });
      const otherToken = (await other.json()).token as string;
      const sessions = await (await app.t.request("/api/v1/auth/sessions", { headers: user.auth })).json();
      const target = sessions.sessions.find((s: { current: boolean }) => !s.current).id;
      const revoked = await app.t.request(`/api/v1/auth/sessions/${target}`, {
        method: "DELETE",
        headers: user.auth,
      });
      expect(revoked.status).toBe(204);

      app.t = await app.t.restart();
      expect((await me(app.t, otherToken)).status).toBe(401);
      expect((await me(app.t, user.token)).status).toBe(200);
    });
  }, 90_000);

  test("an IP+email that is locked out is still locked out, even for the right password", async () => {
    await withApp({ RATE_LIMIT_LOGIN: "3/15m", TRUST_PROXY: "1" }, async (app) => {
      const user = await registerUser(app.t);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await postJson(
          app.t,
          "/api/v1/auth/login",
          { email: user.email, password: `wrong password ${i}` },
          from("203.0.113.7"),
        );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);

      app.t = await app.t.restart();
      const right = { email: user.email, password: user.password };
      const locked = await postJson(app.t, "/api/v1/auth/login", right, from("203.0.113.7"));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await postJson(app.t, "/api/v1/auth/login", right, from("198.51.100.9"))).status).toBe(200);
    });
  }, 90_000);

  test("an address locked out for spraying many emails is still locked out", async () => {
    await withApp({ RATE_LIMIT_LOGIN_IP: "4/15m", TRUST_PROXY: "1" }, async (app) => {
      const spray = (ip: string) =>
        postJson(
          app.t,
          "/api/v1/auth/login",
          { email: newAccount().email, password: "Summer2024!!" },
          from(ip),
        );
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await spray("203.0.113.8")).status);
      expect(statuses).toEqual([401, 401, 401, 401, 429]);

      app.t = await app.t.restart();
      const locked = await spray("203.0.113.8");
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await spray("198.51.100.10")).status).toBe(401);
    });
  }, 90_000);
});
