import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SignJWT } from "jose";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, postJson, registerUser } from "../helpers/auth.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

const me = (token: string) => t.request("/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } });

describe("register and login", () => {
  test("register answers 201 with the user and a token pair, and the token works", async () => {
    const account = newAccount({ email: "  Mixed.Case@Example.COM " });
    const res = await postJson(t, "/api/v1/auth/register", account);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.user).toEqual({
      id: expect.any(String),
      email: "mixed.case@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    expect(body.expiresIn).toBe(900);
    expect(typeof body.refreshToken).toBe("string");
    const who = await me(body.token);
    expect(who.status).toBe(200);
    expect((await who.json()).user.email).toBe("mixed.case@example.com");
  });

  test("a duplicate email in any case is 409", async () => {
    const account = newAccount();
    await postJson(t, "/api/v1/auth/register", account);
    const again = await postJson(t, "/api/v1/auth/register", {
      ...account,
      email: account.email.toUpperCase(),
    });
    expect(again.status).toBe(409);
  });

  test("a password under 10 characters or a bad email is a 400 naming the field", async () => {
    const short = await postJson(t, "/api/v1/auth/register", newAccount({ password: "123456789" }));
    expect(short.status).toBe(400);
    expect((await short.json()).error.message).toContain("password");
    const email = await postJson(t, "/api/v1/auth/register", newAccount({ email: "not-an-email" }));
    expect((await email.json()).error.message).toContain("email");
  });

  test("a password of whitespace alone is a 400 that names the field and says why, and creates no account", async () => {
    for (const password of [" ".repeat(12), "\t \n \u00a0\u2003 \r\n  \t"]) {
      const account = newAccount({ password });
      const res = await postJson(t, "/api/v1/auth/register", account);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_request");
      expect(error.message).toStartWith("password:");
      expect(error.message).toContain("whitespace");
      const login = await postJson(t, "/api/v1/auth/login", { email: account.email, password });
      expect(login.status).toBe(401);
    }
    // Spaces inside a password are fine; only a password of nothing else is refused.
    expect(
      (await postJson(t, "/api/v1/auth/register", newAccount({ password: "  correct horse  " }))).status,
    ).toBe(201);
  });

  test("login works, and an unknown email and a wrong password give identical 401s", async () => {
    const user = await registerUser(t);
    const ok = await postJson(t, "/api/v1/auth/login", { email: user.email, password: user.password });
    expect(ok.status).toBe(200);
    expect((await ok.json()).user.id).toBe(user.user.id);

    const wrong = await postJson(t, "/api/v1/auth/login", { email: user.email, password: "wrong password!" });
    const unknown = await postJson(t, "/api/v1/auth/login", {
      email: "nobody@example.com",
      password: "wrong password!",
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });
});

describe("access tokens", () => {
  test("no token, alg none, a wrong key, an altered payload and an expired token are all 401", async () => {
    const user = await registerUser(t);
    const [header, payload, signature] = user.token.split(".");
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());

    const none = `${b64({ alg: "none", typ: "JWT" })}.${payload}.`;
    const altered = `${header}.${b64({ ...claims, sub: crypto.randomUUID() })}.${signature}`;
    const wrongKey = await new SignJWT({ typ: "access", sid: claims.sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.sub)
      .setIssuer("aura")
      .setAudience("aura")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("x".repeat(48)));
    const expired = await t.deps.tokens.sign({ userId: claims.sub, sessionId: claims.sid }, -10);

    expect((await t.request("/api/v1/auth/me")).status).toBe(401);
    for (const token of [none, altered, wrongKey, expired, "garbage"]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
  });

  test("a refresh token cannot act as an access token", async () => {
    const user = await registerUser(t);
    expect((await me(user.refreshToken)).status).toBe(401);
  });
});

describe("refresh tokens", () => {
  test("refresh rotates: the new pair works and the old refresh token is spent", async () => {
    const user = await registerUser(t);
    const res = await postJson(t, "/api/v1/auth/refresh", { refreshToken: user.refreshToken });
    expect(res.status).toBe(200);
    const next = await res.json();
    expect(Object.keys(next).sort()).toEqual(["expiresIn", "refreshToken", "token"]);
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect((await me(next.token)).status).toBe(200);
  });

  test("reusing a spent refresh token is 401 and revokes the newer one and its access token too", async () => {
    const user = await registerUser(t);
    const next = await (
      await postJson(t, "/api/v1/auth/refresh", { refreshToken: user.refreshToken })
    ).json();
    const reuse = await postJson(t, "/api/v1/auth/refresh", { refreshToken: user.refreshToken });
    expect(reuse.status).toBe(401);
    expect((await postJson(t, "/api/v1/auth/refresh", { refreshToken: next.refreshToken })).status).toBe(401);
    expect((await me(next.token)).status).toBe(401);
  });

  test("the session check is memoised: repeated calls ask the database nothing, and neither do a revoked token's", async () => {
    const user = await registerUser(t);
    expect((await me(user.token)).status).toBe(200);
    const handle = t.deps.db;
    const get = handle.get.bind(handle);
    let asked = 0;
    handle.get = (waitMs) => {
      asked++;
      return get(waitMs);
    };
    try {
      for (let i = 0; i < 20; i++) expect((await me(user.token)).status).toBe(200);
      expect(asked).toBe(0);
      expect((await postJson(t, "/api/v1/auth/logout", { refreshToken: user.refreshToken })).status).toBe(
        204,
      );
      asked = 0;
      for (let i = 0; i < 20; i++) expect((await me(user.token)).status).toBe(401);
      expect(asked).toBe(1);
    } finally {
      handle.get = get;
    }
  });

  test("logout is 204, ends the session and its access token", async () => {
    const user = await registerUser(t);
    const out = await postJson(t, "/api/v1/auth/logout", { refreshToken: user.refreshToken });
    expect(out.status).toBe(204);
    expect((await postJson(t, "/api/v1/auth/refresh", { refreshToken: user.refreshToken })).status).toBe(401);
    expect((await me(user.token)).status).toBe(401);
  });
});

describe("sessions", () => {
  test("a user lists their sessions and can end one; another user's session is a 404", async () => {
    const user = await registerUser(t);
    const second = await (
      await postJson(t, "/api/v1/auth/login", { email: user.email, password: user.password })
    ).json();
    const list = await (await t.request("/api/v1/auth/sessions", { headers: user.auth })).json();
    expect(list.sessions).toHaveLength(2);
    expect(list.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    const other = await registerUser(t);
    const otherSession = (await (await t.request("/api/v1/auth/sessions", { headers: other.auth })).json())
      .sessions[0].id;
    const denied = await t.request(`/api/v1/auth/sessions/${otherSession}`, {
      method: "DELETE",
      headers: user.auth,
    });
    expect(denied.status).toBe(404);
    expect((await me(other.token)).status).toBe(200);

    const mine = list.sessions.find((s: { current: boolean }) => !s.current).id;
    const ended = await t.request(`/api/v1/auth/sessions/${mine}`, { method: "DELETE", headers: user.auth });
    expect(ended.status).toBe(204);
    expect((await me(second.token)).status).toBe(401);
  });
});
