import { afterAll, beforeAll, describe, expect, test } from "bun:test";
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
