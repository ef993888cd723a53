import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { listUserOauthAccounts } from "../../src/db/queries/oauth-accounts.ts";
import { CookieJar, csrfFieldOf } from "../helpers/html.ts";
import { type OAuthHarness, ORIGIN, oauthHarness, setCookies, unique } from "../helpers/oauth-browser.ts";

let h: OAuthHarness;
beforeAll(async () => {
  h = await oauthHarness();
}, 60_000);
afterAll(() => h.close());

/** A browser signed in through `which` as a new verified identity: its cookies, token and user id. */
let numbers = 5000;
/** A provider account id as each flavour writes them (GitHub's are numbers). */
const accountId = (which: "google" | "github") => (which === "github" ? String(++numbers) : `g-${++numbers}`);

async function oauthUser(which: "google" | "github") {
  const email = unique(which);
  h.provider.identity[which] = { id: accountId(which), email, verified: true, firstName: "Only" };
  const jar = new CookieJar().update(await h.signIn(which));
  const who = await (await h.me(jar.values.get("aura_at")!)).json();
  return { jar, email, id: who.user.id as string, token: jar.values.get("aura_at")! };
}

/** A page request through the app with the browser's cookies (and CSRF token for a POST). */
async function browse(jar: CookieJar, path: string, form?: Record<string, string>) {
  let init: RequestInit = { headers: { cookie: jar.header() } };
  if (form) {
    const page = await browse(jar, jar.values.has("aura_at") ? "/account" : "/login");
    const body = new URLSearchParams({ _csrf: csrfFieldOf(await page.text())!, ...form });
    init = {
      method: "POST",
      headers: { cookie: jar.header(), origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body,
    };
  }
  const res = await h.app.handle(new Request(`${ORIGIN}${path}`, init));
  jar.update(res);
  return res;
}

/** Link `which` from the account page: post the form, let the provider consent, follow the callback. */
async function link(jar: CookieJar, which: "google" | "github") {
  const start = await browse(jar, `/account/links/${which}`, {});
  expect(start.status).toBe(303);
  const callback = await h.consent(start.headers.get("location")!);
  return browse(jar, callback);
}

const json = (token: string, method: string, path: string, body?: unknown) =>
  h.app.handle(
    new Request(`${ORIGIN}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
const login = (email: string, password: string) =>
  h.app.handle(
    new Request(`${ORIGIN}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
  );

describe("an account that signs in only with a provider", () => {
  test("sets a first password without a current one; other sessions end, this one stays", async () => {
    const user = await oauthUser("google");
    const again = new CookieJar().update(await h.signIn("google"));
    const res = await json(user.token, "POST", "/api/v1/auth/password", {
      newPassword: "my first passphrase",
    });
    expect(res.status).toBe(204);
    expect((await h.me(user.token)).status).toBe(200);
    expect((await h.me(again.values.get("aura_at")!)).status).toBe(401);
    expect((await login(user.email, "my first passphrase")).status).toBe(200);
  });

  test("cannot unlink its only provider (409, saying why); with a password set, it can", async () => {
    const user = await oauthUser("github");
    const refused = await json(user.token, "DELETE", "/api/v1/auth/me/links/github");
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toContain("only way you sign in");
    const page = await browse(user.jar, "/account/links/github/unlink", {});
    expect(page.status).toBe(409);
    expect(await page.text()).toContain("only way you sign in");
    expect(await listUserOauthAccounts(await h.t.deps.db.get(), user.id)).toHaveLength(1);

    await json(user.token, "POST", "/api/v1/auth/password", { newPassword: "my first passphrase" });
    expect((await json(user.token, "DELETE", "/api/v1/auth/me/links/github")).status).toBe(204);
    expect(await listUserOauthAccounts(await h.t.deps.db.get(), user.id)).toEqual([]);
  });

  test("deleting it is confirmed by typing its email", async () => {
    const user = await oauthUser("google");
    const wrong = await json(user.token, "DELETE", "/api/v1/auth/me", { email: "someone@else.com" });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error.message).toStartWith("email:");
    const res = await json(user.token, "DELETE", "/api/v1/auth/me", { email: user.email.toUpperCase() });
    expect(res.status).toBe(204);
    expect((await h.me(user.token)).status).toBe(401);
    expect(await h.userByEmail(user.email)).toBeUndefined();
  });
});

describe("linking from the account page", () => {
  test("links a second provider to the signed-in account, which can then sign in with it", async () => {
    const user = await oauthUser("google");
    h.provider.identity.github = { id: accountId("github"), email: unique("elsewhere"), verified: false };
    const res = await link(user.jar, "github");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account?linked=github");
    const links = await listUserOauthAccounts(await h.t.deps.db.get(), user.id);
    expect(links.map((l) => l.provider).sort()).toEqual(["github", "google"]);
    const page = await (await browse(user.jar, "/account?linked=github")).text();
    expect(page).toContain("GitHub is linked");

    const signedIn = await h.signIn("github");
    const who = await (await h.me(setCookies(signedIn).get("aura_at")!)).json();
    expect(who.user.id).toBe(user.id);
    // Now Google may go: GitHub still signs in.
    expect((await json(user.token, "DELETE", "/api/v1/auth/me/links/google")).status).toBe(204);
  });

  test("refuses an identity already linked to another account, and leaves both as they were", async () => {
    const first = await oauthUser("github");
    const second = await oauthUser("google");
    // The provider answers with the first account's GitHub identity (still set from its sign-in).
    const db = await h.t.deps.db.get();
    const [firstLink] = await listUserOauthAccounts(db, first.id);
    expect(h.provider.identity.github.id).toBe(firstLink!.providerAccountId);
    const res = await link(second.jar, "github");
    expect(res.headers.get("location")).toBe("/account?error=oauth_link_taken&provider=github");
    expect((await listUserOauthAccounts(db, second.id)).map((l) => l.provider)).toEqual(["google"]);
    expect((await listUserOauthAccounts(db, first.id)).map((l) => l.provider)).toEqual(["github"]);
    const page = await (await browse(second.jar, "/account?error=oauth_link_taken&provider=github")).text();
    expect(page).toContain("already linked to another Aura account");
  });

  test("refuses a second identity of a provider the account already has linked", async () => {
    const user = await oauthUser("github");
    h.provider.identity.github = { id: accountId("github"), email: unique("second"), verified: true };
    const res = await link(user.jar, "github");
    expect(res.headers.get("location")).toBe("/account?error=oauth_link_other&provider=github");
    expect(await listUserOauthAccounts(await h.t.deps.db.get(), user.id)).toHaveLength(1);
  });

  test("is bound to the user who started it: another session's callback links nothing", async () => {
    const starter = await oauthUser("google");
    const other = await oauthUser("google");
    const start = await browse(starter.jar, "/account/links/github", {});
    const callback = await h.consent(start.headers.get("location")!);
    // The other person's browser presents the starter's state cookie with its own session.
    const mixed = new CookieJar();
    for (const [name, value] of other.jar.values) mixed.values.set(name, value);
    mixed.values.set("aura_oauth", starter.jar.values.get("aura_oauth")!);
    const res = await browse(mixed, callback);
    expect(res.headers.get("location")).toBe("/account?error=oauth_link_session&provider=github");
    const db = await h.t.deps.db.get();
    expect((await listUserOauthAccounts(db, other.id)).map((l) => l.provider)).toEqual(["google"]);
    expect((await listUserOauthAccounts(db, starter.id)).map((l) => l.provider)).toEqual(["google"]);
  });

  test("needs the CSRF token and a session", async () => {
    const user = await oauthUser("google");
    const forged = await h.app.handle(
      new Request(`${ORIGIN}/account/links/github`, {
        method: "POST",
        headers: {
          cookie: user.jar.header(),
          origin: ORIGIN,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "",
      }),
    );
    expect(forged.status).toBe(403);
    const anonymous = await browse(new CookieJar(), "/account/links/github", {});
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toBe("/login");
  });
});
