import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { listUserOauthAccounts } from "../../src/db/queries/oauth-accounts.ts";
import { usageAnalytics } from "../../src/db/schema/usage-analytics.ts";
import { registerUser } from "../helpers/auth.ts";
import {
  expectNoSession,
  type OAuthHarness,
  oauthHarness,
  STATE_COOKIE,
  setCookies,
  unique,
} from "../helpers/oauth-browser.ts";

let h: OAuthHarness;
beforeAll(async () => {
  h = await oauthHarness();
}, 60_000);
afterAll(() => h.close());
beforeEach(() => h.reset());

describe("signing in", () => {
  test("Google: a new verified identity gets an account, session cookies and /projects", async () => {
    const email = unique("grace");
    h.provider.identity.google = {
      id: `g-${email}`,
      email,
      verified: true,
      firstName: "Grace",
      lastName: "Hopper",
    };
    const res = await h.signIn("google");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/projects");
    const cookies = setCookies(res);
    expect(cookies.get(STATE_COOKIE)).toBe("");
    const who = await h.me(cookies.get("aura_at")!);
    expect(who.status).toBe(200);
    expect((await who.json()).user).toMatchObject({ email, firstName: "Grace", lastName: "Hopper" });
    const user = (await h.userByEmail(email))!;
    expect(user.passwordHash).toBeNull();
    const links = await listUserOauthAccounts(await h.t.deps.db.get(), user.id);
    expect(links.map((l) => [l.provider, l.providerAccountId])).toEqual([["google", `g-${email}`]]);
    // Both providers' token requests carry a PKCE verifier.
    expect(
      h.provider.requests.findLast((r) => r.path === "/google/token")?.params.code_verifier,
    ).toBeString();
  });

  test("GitHub: the primary verified address is the one used, and names come from the profile", async () => {
    const email = unique("linus");
    h.provider.identity.github = {
      id: "4242",
      email,
      verified: true,
      firstName: "Linus",
      lastName: "Torvalds",
      extraEmails: [{ email: unique("other"), primary: false, verified: true }],
    };
    const res = await h.signIn("github");
    expect(res.headers.get("location")).toBe("/projects");
    const who = await (await h.me(setCookies(res).get("aura_at")!)).json();
    expect(who.user).toMatchObject({ email, firstName: "Linus", lastName: "Torvalds" });
    const authorize = h.provider.requests.findLast((r) => r.path === "/github/authorize")!;
    expect(authorize.params).toMatchObject({ code_challenge_method: "S256", scope: "read:user user:email" });
  });

  test("a verified email links to the existing password account, and the next sign-in reuses the link", async () => {
    const account = await registerUser(h.t);
    h.provider.identity.google = {
      id: `g-link-${account.email}`,
      email: account.email.toUpperCase(),
      verified: true,
    };
    const first = await h.signIn("google");
    const firstUser = (await (await h.me(setCookies(first).get("aura_at")!)).json()).user;
    expect(firstUser.id).toBe(account.user.id);
    const db = await h.t.deps.db.get();
    expect(await listUserOauthAccounts(db, account.user.id)).toHaveLength(1);
    const events = await db.select().from(usageAnalytics).where(eq(usageAnalytics.userId, account.user.id));
    expect(events.map((e) => e.eventType)).toContain("oauth_link");
    const logins = events.filter((e) => e.eventType === "login_success").map((e) => e.eventData);
    expect(logins).toContainEqual({ method: "oauth:google" });

    // The provider's address changed since; the link, not the email, decides.
    h.provider.identity.google = { ...h.provider.identity.google, email: unique("changed"), verified: false };
    const second = await h.signIn("google");
    expect((await (await h.me(setCookies(second).get("aura_at")!)).json()).user.id).toBe(account.user.id);
    expect(await listUserOauthAccounts(db, account.user.id)).toHaveLength(1);
  });

  test("an unverified email neither creates nor links an account", async () => {
    const account = await registerUser(h.t);
    h.provider.identity.github = { id: "7777", email: account.email, verified: false };
    const res = await h.signIn("github");
    expect(res.headers.get("location")).toBe("/login?error=oauth_unverified_email&provider=github");
    expectNoSession(res);
    expect(await listUserOauthAccounts(await h.t.deps.db.get(), account.user.id)).toHaveLength(0);

    const stranger = unique("stranger");
    h.provider.identity.google = { id: `g-${stranger}`, email: stranger, verified: false };
    expectNoSession(await h.signIn("google"));
    expect(await h.userByEmail(stranger)).toBeUndefined();
  });

  test("a same-site `next` is honoured; //evil.com and https://evil.com land on /projects", async () => {
    h.provider.identity.google = { id: "g-next", email: unique("next"), verified: true };
    const ok = await h.signIn("google", { query: `?next=${encodeURIComponent("/projects/abc?file=a.ts")}` });
    expect(ok.headers.get("location")).toBe("/projects/abc?file=a.ts");
    for (const next of ["//evil.com", "https://evil.com", "/\\evil.com"]) {
      const res = await h.signIn("google", { query: `?next=${encodeURIComponent(next)}` });
      expect(res.headers.get("location")).toBe("/projects");
    }
  });
});
