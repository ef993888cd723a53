import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { newAccount, postJson, registerUser } from "../helpers/auth.ts";
import { browserSession, registerThroughForm } from "../helpers/html.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_LOGIN: "1000/15m" });
}, 60_000);
afterAll(() => t.close());

describe("the sessions page", () => {
  test("lists each session, revokes one, and refuses another user's session with 404", async () => {
    const account = newAccount();
    const first = await registerThroughForm(t, account, {
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Firefox/126.0",
    });
    const second = browserSession(t, {
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Mobile Safari/604.1",
    });
    await second.get("/login");
    expect(
      (await second.post("/login", { email: account.email, password: account.password })).res.status,
    ).toBe(303);

    const { html } = await first.get("/account/sessions");
    expect(html).toContain("Firefox on macOS");
    expect(html).toContain("Safari on iOS");
    expect(html.match(/This device/g)).toHaveLength(1);
    const ids = [...html.matchAll(/\/account\/sessions\/([0-9a-f-]{36})\/revoke/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(2);

    const other = await registerThroughForm(t, newAccount());
    expect((await other.post(`/account/sessions/${ids[0]}/revoke`)).res.status).toBe(404);
    expect((await other.post(`/account/sessions/not-a-uuid/revoke`)).res.status).toBe(404);

    const currentId = /This device[\s\S]*?\/account\/sessions\/([0-9a-f-]{36})\/revoke/.exec(html)![1];
    const secondId = ids.find((id) => id !== currentId)!;
    const revoked = await first.post(`/account/sessions/${secondId}/revoke`, {}, { "hx-request": "true" });
    expect(revoked.res.status).toBe(200);
    expect(revoked.html.startsWith('<div id="sessions"')).toBe(true);
    expect(revoked.html).toContain("That session has been signed out.");
    expect(revoked.html).not.toContain(secondId);
    expect((await second.get("/account")).res.status).toBe(303);
    expect((await first.get("/account")).res.status).toBe(200);
  });

  test("sign out everywhere else keeps only this device, and revoking this device signs out", async () => {
    const account = newAccount();
    const here = await registerThroughForm(t, account);
    const elsewhere = browserSession(t);
    await elsewhere.get("/login");
    await elsewhere.post("/login", { email: account.email, password: account.password });
    const { res } = await here.post("/account/sessions/revoke-others");
    expect(res.status).toBe(303);
    expect((await elsewhere.get("/account")).res.status).toBe(303);
    const { html } = await here.get("/account/sessions");
    const [id] = [...html.matchAll(/\/account\/sessions\/([0-9a-f-]{36})\/revoke/g)].map((m) => m[1]!);
    const out = await here.post(`/account/sessions/${id}/revoke`, {}, { "hx-request": "true" });
    expect(out.res.headers.get("hx-redirect")).toBe("/login");
    expect((await here.get("/account")).res.status).toBe(303);
  });
});

describe("signing out and signed-in pages", () => {
  test("sign out clears the cookies and the old refresh token no longer works", async () => {
    const browser = await registerThroughForm(t, newAccount());
    const refreshToken = browser.jar.values.get("aura_rt")!;
    const { res } = await browser.post("/logout");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const cleared = res.headers.getSetCookie().filter((c) => /^aura_(at|rt)=;/.test(c));
    expect(cleared).toHaveLength(2);
    // The browser is told to drop what Aura kept in it (document copies, offline pages).
    expect(res.headers.get("clear-site-data")).toBe('"storage"');
    expect((await postJson(t, "/api/v1/auth/refresh", { refreshToken })).status).toBe(401);
    expect((await browser.get("/account")).res.status).toBe(303);
  });

  test("an anonymous visitor is sent to sign in, and htmx gets HX-Redirect", async () => {
    const res = await t.request("/account");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2Faccount");
    const hx = await t.request("/account/sessions", { headers: { "hx-request": "true" } });
    expect(hx.headers.get("hx-redirect")).toBe("/login?next=%2Faccount%2Fsessions");
  });

  test("the landing page sends a signed-in visitor to /projects, which shows the app shell", async () => {
    const browser = await registerThroughForm(t, newAccount({ firstName: "Grace" }));
    const home = await browser.get("/");
    expect(home.res.status).toBe(303);
    expect(home.res.headers.get("location")).toBe("/projects");
    const { html } = await browser.get("/projects");
    expect(html).toContain("No projects yet");
    expect(html).toContain('action="/logout"');
    expect(html).toContain("hx-headers:inherited=");
    expect(html).toMatch(/<script type="module" src="\/assets\/signout\.[0-9a-z]+\.js"><\/script>/);
  });

  test("an expired access cookie is renewed from the refresh cookie while the page renders", async () => {
    const user = await registerUser(t);
    const claims = JSON.parse(Buffer.from(user.token.split(".")[1]!, "base64url").toString());
    const expired = await t.deps.tokens.sign({ userId: user.user.id, sessionId: claims.sid }, -10);
    const res = await t.request("/account", {
      headers: { cookie: `aura_at=${expired}; aura_rt=${user.refreshToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(user.email);
    const set = res.headers.getSetCookie();
    expect(set.some((c) => c.startsWith("aura_at=") && !c.startsWith("aura_at=;"))).toBe(true);
    expect(set.some((c) => c.startsWith("aura_rt=") && !c.includes(user.refreshToken))).toBe(true);
  });
});
