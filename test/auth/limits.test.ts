import { afterAll, beforeAll, describe, expect, setSystemTime, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { usageAnalytics } from "../../src/db/schema/usage-analytics.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, postJson, registerUser } from "../helpers/auth.ts";
import { registerThroughForm } from "../helpers/html.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

describe("rate limits", () => {
  test("30 bad logins for one IP+email end in 429 with Retry-After, and the lockout holds even for the right password", async () => {
    const user = await registerUser(t);
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 30; i++) {
      last = await postJson(t, "/api/v1/auth/login", { email: user.email, password: `wrong password ${i}` });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await last!.json()).error.code).toBe("rate_limited");
    const right = await postJson(t, "/api/v1/auth/login", { email: user.email, password: user.password });
    expect(right.status).toBe(429);
  });

  test("each further lockout of the same IP+email within a day lasts twice as long", async () => {
    const a = await createTestApp({ RATE_LIMIT_LOGIN: "2/1m" });
    try {
      const user = await registerUser(a);
      const wrong = () =>
        postJson(a, "/api/v1/auth/login", { email: user.email, password: "not the password" });
      const retryAfters: number[] = [];
      for (let round = 0; round < 3; round++) {
        expect([(await wrong()).status, (await wrong()).status]).toEqual([401, 401]);
        const locked = await wrong();
        expect(locked.status).toBe(429);
        const seconds = Number(locked.headers.get("retry-after"));
        retryAfters.push(seconds);
        setSystemTime(new Date(Date.now() + (seconds + 1) * 1000));
      }
      expect(retryAfters.map((s) => Math.round(s / 60))).toEqual([1, 2, 4]);
    } finally {
      setSystemTime();
      await a.close();
    }
  });

  test("registrations are limited per address: the fifth of 4/1h is a 429", async () => {
    const a = await createTestApp({ RATE_LIMIT_REGISTER: "4/1h" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await postJson(a, "/api/v1/auth/register", newAccount())).status);
      expect(statuses).toEqual([201, 201, 201, 201, 429]);
    } finally {
      await a.close();
    }
  });

  test("each user has an API allowance with RateLimit headers, then 429 with Retry-After; other users are unaffected", async () => {
    const a = await createTestApp({ RATE_LIMIT_API: "5/1m" });
    try {
      const one = await registerUser(a);
      const two = await registerUser(a);
      const remaining: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await a.request("/api/v1/auth/me", { headers: one.auth });
        expect(res.status).toBe(200);
        expect(res.headers.get("ratelimit-limit")).toBe("5");
        remaining.push(res.headers.get("ratelimit-remaining")!);
      }
      expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
      const over = await a.request("/api/v1/auth/me", { headers: one.auth });
      expect(over.status).toBe(429);
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(over.headers.get("ratelimit-remaining")).toBe("0");
      expect((await a.request("/api/v1/auth/me", { headers: two.auth })).status).toBe(200);
    } finally {
      await a.close();
    }
  });

  test("signed-in pages draw from the editor allowance, separate from the API allowance", async () => {
    const a = await createTestApp({ RATE_LIMIT_EDITOR: "3/1m", RATE_LIMIT_API: "100/1m" });
    try {
      const browser = await registerThroughForm(a, newAccount());
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await browser.get("/account")).res.status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await a.close();
    }
  });
});

describe("password spraying: failed logins per address across emails", () => {
  let spray: TestApp;
  beforeAll(async () => {
    spray = await createTestApp({ RATE_LIMIT_LOGIN_IP: "5/15m", TRUST_PROXY: "1" });
  }, 60_000);
  afterAll(() => spray.close());
  const login = (ip: string, email: string, password = "Winter2024!!") =>
    postJson(spray, "/api/v1/auth/login", { email, password }, { "x-forwarded-for": ip });

  test("5 failures with 5 different emails lock the address out with Retry-After, even for a right password; other addresses are unaffected", async () => {
    const user = await registerUser(spray);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login("203.0.113.20", newAccount().email)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const locked = await login("203.0.113.20", newAccount().email);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await locked.json()).error).toMatchObject({ code: "rate_limited" });
    expect((await login("203.0.113.20", user.email, user.password)).status).toBe(429);
    expect((await login("198.51.100.20", user.email, user.password)).status).toBe(200);
  });

  test("a burst of parallel attempts from one address gets no more password checks than its allowance", async () => {
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => login("203.0.113.21", newAccount().email)),
    );
    const statuses = burst.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  test("a sprayer's own successful sign-in gives back only its own attempt, not the address's failures", async () => {
    const own = await registerUser(spray);
    const ip = "203.0.113.22";
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(ip, newAccount().email)).status);
    statuses.push((await login(ip, own.email, own.password)).status);
    statuses.push((await login(ip, newAccount().email)).status);
    statuses.push((await login(ip, newAccount().email)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 200, 401, 429]);
  });
});

describe("usage analytics", () => {
  test("register, login success and failure, logout and refresh reuse are recorded", async () => {
    const user = await registerUser(t);
    await postJson(t, "/api/v1/auth/login", { email: user.email, password: "not the password" });
    const ok = await (
      await postJson(t, "/api/v1/auth/login", { email: user.email, password: user.password })
    ).json();
    const next = await (await postJson(t, "/api/v1/auth/refresh", { refreshToken: ok.refreshToken })).json();
    await postJson(t, "/api/v1/auth/refresh", { refreshToken: ok.refreshToken });
    await postJson(t, "/api/v1/auth/logout", { refreshToken: next.refreshToken });

    const db = await t.deps.db.get();
    const rows = await db
      .select({ type: usageAnalytics.eventType })
      .from(usageAnalytics)
      .where(and(eq(usageAnalytics.userId, user.user.id)));
    const types = rows.map((r) => r.type).sort();
    expect(types).toEqual(
      ["login_failure", "login_success", "logout", "refresh_reuse_detected", "register"].sort(),
    );
  });
});
