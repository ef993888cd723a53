import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { userScope } from "../../src/adapters/cache/memo.ts";
import { aiInteractions } from "../../src/db/schema/ai-interactions.ts";
import { usageAnalytics } from "../../src/db/schema/usage-analytics.ts";
import { users } from "../../src/db/schema/users.ts";
import { daysSince } from "../../src/features/usage/service.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { browserSession, injectedElements } from "../helpers/html.ts";

const DAY = 86_400_000;

describe("usage dashboards", () => {
  let t: TestApp;
  let alice: Awaited<ReturnType<typeof registerUser>>;
  let bob: Awaited<ReturnType<typeof registerUser>>;

  const signIn = async (user: { email: string; password: string }) => {
    const browser = browserSession(t);
    await browser.get("/login");
    const { res } = await browser.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(303);
    return browser;
  };

  beforeAll(async () => {
    t = await createTestApp();
    alice = await registerUser(t, { firstName: "Alice" });
    bob = await registerUser(t, { firstName: "<b>Bob</b>" });
    const db = await t.deps.db.get();
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const ai = (userId: string, model: string, cost: number, latencyMs: number, at: Date, type = "chat") => ({
      userId,
      requestType: type,
      model,
      tokensInput: 100,
      tokensOutput: 20,
      cost,
      latencyMs,
      createdAt: at,
    });
    await db.insert(aiInteractions).values([
      ai(alice.user.id, "gpt-4o-mini", 1.5, 100, ago(0)),
      ai(alice.user.id, "gpt-4o-mini", 0.5, 300, ago(0), "completion"),
      ai(alice.user.id, "<script>alert(1)</script>", 2, 200, ago(2)),
      ai(alice.user.id, "gpt-4o-mini", 99, 50, ago(40)), // outside 30 days
      ai(bob.user.id, "gpt-4o", 7, 900, ago(1)),
    ]);
    await db.insert(usageAnalytics).values([
      { userId: alice.user.id, eventType: "sandbox_run", eventData: { outcome: "success", durationMs: 40 } },
      {
        userId: alice.user.id,
        eventType: "sandbox_run",
        eventData: { outcome: "timeout", durationMs: 10_000 },
      },
      { userId: bob.user.id, eventType: "sandbox_run", eventData: { outcome: "success", durationMs: 60 } },
    ]);
  }, 60_000);
  afterAll(() => t?.close());

  test("every UTC day of the period gets a slot, today included", () => {
    const today = new Date("2026-03-10T15:00:00Z");
    expect(daysSince(new Date("2026-03-08T00:00:00Z"), today)).toEqual([
      "2026-03-08",
      "2026-03-09",
      "2026-03-10",
    ]);
  });

  test("a user sees only their own figures, with SVG charts and escaped model names", async () => {
    const browser = await signIn(alice);
    const { res, html } = await browser.get("/usage");
    expect(res.status).toBe(200);
    expect(html).toContain("Your usage");
    expect(html).toContain("$0.0400"); // 1.5 + 0.5 + 2 cents in the last 30 days (not the 99, not Bob's)
    expect(html).toContain(">360<"); // tokens: 3 × 120
    expect(html).not.toContain("gpt-4o<"); // Bob's model
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(60); // a bar per day, both day charts
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(await injectedElements(html)).toEqual([]);
    // Latency percentiles per kind, and runs with their failures.
    expect(html).toMatch(/chat<\/td>\s*<td[^>]*>2<\/td>\s*<td[^>]*>150 ms<\/td>/);
    expect(html).toContain("1 did not succeed");
    expect(html).not.toContain("Top users");
  });

  test("the period can be 7, 30 or 90 days; anything else is refused", async () => {
    const browser = await signIn(alice);
    const { html } = await browser.get("/usage?days=90");
    expect(html).toContain("$1.03"); // the 99-cent call from 40 days ago counts now
    expect((await browser.get("/usage?days=5")).res.status).toBe(400);
  });

  test("everyone's usage is for admins only: 403 for a user, the full view with top users for an admin", async () => {
    const browser = await signIn(alice);
    expect((await browser.get("/admin/usage")).res.status).toBe(403);
    const db = await t.deps.db.get();
    await db.update(users).set({ role: "admin" }).where(eq(users.id, alice.user.id));
    await t.deps.memo.invalidate(userScope(alice.user.id)); // as the app does after its own writes
    const admin = await signIn(alice);
    const { res, html } = await admin.get("/admin/usage");
    expect(res.status).toBe(200);
    expect(html).toContain("Usage — all users");
    expect(html).toContain("Top users by AI cost");
    // Bob spent most; his name is escaped.
    expect(html.indexOf("&lt;b&gt;Bob&lt;/b&gt;")).toBeGreaterThan(0);
    expect(html.indexOf("&lt;b&gt;Bob&lt;/b&gt;")).toBeLessThan(html.indexOf(alice.email));
    expect(html).toContain("$0.1100"); // 4 + 7 cents
    expect(await injectedElements(html)).toEqual([]);
  });

  test("signed out, the dashboards send you to sign in", async () => {
    const res = await t.request("/usage");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toContain("/login");
  });
});
