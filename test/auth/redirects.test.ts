import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeAttemptCookie } from "../../src/features/auth/oauth/state-cookie.ts";
import { newAccount, registerUser } from "../helpers/auth.ts";
import { browserSession } from "../helpers/html.ts";
import {
  type OAuthHarness,
  oauthHarness,
  STATE_COOKIE,
  setCookies,
  unique,
} from "../helpers/oauth-browser.ts";

/**
 * Where a browser goes after signing in (`?next=`), on every path that honours it. Each payload is
 * written as it would appear in a link (the server decodes the query once); whatever comes back
 * must be a path on this site once the browser resolves it.
 */
const PAYLOADS = [
  "/.//evil.example",
  "/..//evil.example",
  "/%252e//evil.example",
  "/%2e//evil.example",
  "/%252e%252e//evil.example",
  "/projects/..//evil.example",
  "/projects/%252e%252e//evil.example",
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "%5C%5Cevil.example",
  "/.%5C/evil.example",
  "%2F%2Fevil.example",
  "%252F%252Fevil.example",
  "/%09/evil.example",
  "/%2509/evil.example",
  "/%0d%0aSet-Cookie:%20x=1",
  "https://evil.example",
  "https:evil.example",
  "//evil.example",
  "///evil.example",
  "/%2F%2Fevil.example",
  "javascript:alert(1)",
  "/javascript:alert(1)",
];

/** A Location a browser resolves to this origin: one leading slash, no backslash or control character. */
function expectSameSite(location: string | null) {
  expect(location).toBeString();
  const where = location!;
  expect(where).toMatch(/^\/(?![/\\])/);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked for
  expect(where).not.toMatch(/[\\\u0000-\u001f\u007f]/);
  expect(new URL(where, "http://localhost").origin).toBe("http://localhost");
}

let h: OAuthHarness;
beforeAll(async () => {
  h = await oauthHarness({ RATE_LIMIT_REGISTER: "1000/1h", RATE_LIMIT_LOGIN: "1000/15m" });
}, 60_000);
afterAll(() => h.close());

describe("after signing in, next is a path on this site", () => {
  // One test per payload keeps each within its timeout on a busy machine (each hashes a few passwords).
  test.each(PAYLOADS)("next=%s ends on a same-site path from login, register and OAuth", async (next) => {
    const user = await registerUser(h.t);
    const credentials = { email: user.email, password: user.password };

    // Signed-in visitors of the forms are sent on at once.
    const signedIn = browserSession(h.t);
    await signedIn.get("/login");
    expect((await signedIn.post("/login", credentials)).res.status).toBe(303);
    for (const page of ["/login", "/register"]) {
      const { res } = await signedIn.get(`${page}?next=${next}`);
      expect(res.status).toBe(303);
      expectSameSite(res.headers.get("location"));
    }

    // The login form: its action, a plain post and an htmx post.
    const browser = browserSession(h.t);
    const { html } = await browser.get(`/login?next=${next}`);
    expectSameSite(/<form[^>]*action="([^"]*)"/.exec(html)![1]!.replaceAll("&amp;", "&"));
    const plain = await browser.post(`/login?next=${next}`, credentials);
    expect(plain.res.status).toBe(303);
    expectSameSite(plain.res.headers.get("location"));
    const htmx = await browserSession(h.t).post(`/login?next=${next}`, credentials, { "hx-request": "true" });
    expectSameSite(htmx.res.headers.get("hx-location"));

    // The register form.
    const newcomer = browserSession(h.t);
    await newcomer.get(`/register?next=${next}`);
    const { res: registered } = await newcomer.post(`/register?next=${next}`, newAccount());
    expect(registered.status).toBe(303);
    expectSameSite(registered.headers.get("location"));

    // The OAuth start (which stores next) and its callback (which follows it).
    h.provider.identity.google = { id: `g-next-${next}`, email: unique("next"), verified: true };
    const res = await h.signIn("google", { query: `?next=${next}` });
    expect(res.status).toBe(302);
    expectSameSite(res.headers.get("location"));
    expect(setCookies(res).get("aura_at")).toBeString();
  });

  test("a same-site next survives every path, normalised as the browser would", async () => {
    const user = await registerUser(h.t);
    const browser = browserSession(h.t);
    await browser.get("/login?next=/account/./sessions");
    const { res } = await browser.post("/login?next=/account/./sessions", {
      email: user.email,
      password: user.password,
    });
    expect(res.headers.get("location")).toBe("/account/sessions");
    const signedUp = await browserSession(h.t).post(
      `/register?next=${encodeURIComponent("/projects/abc?file=a.ts")}`,
      newAccount(),
    );
    expect(signedUp.res.headers.get("location")).toBe("/projects/abc?file=a.ts");
    // The sign-in page hands its next on to the other ways in.
    const page = await (await h.t.request("/login?next=/projects/abc")).text();
    expect(page).toContain('href="/auth/oauth/google?next=%2Fprojects%2Fabc"');
    expect(page).toContain('href="/register?next=%2Fprojects%2Fabc"');
    h.provider.identity.github = { id: "4711", email: unique("keep"), verified: true };
    const oauth = await h.signIn("github", { query: "?next=/projects/x/../abc%3Ffile%3Da.ts" });
    expect(oauth.headers.get("location")).toBe("/projects/abc?file=a.ts");
  });

  test("the callback checks next again: a state cookie signed before the rule tightened cannot send the browser away", async () => {
    const { jwtSecret, production } = h.t.deps.config;
    for (const next of ["//evil.example", "/.//evil.example", "https://evil.example", "/\\evil.example"]) {
      h.provider.identity.google = { id: `g-old-${next}`, email: unique("old"), verified: true };
      const res = await h.signIn("google", {
        tamper: (sent) => {
          const payload = sent.cookie.slice(STATE_COOKIE.length + 1).split(".")[0]!;
          const attempt = JSON.parse(Buffer.from(payload, "base64url").toString());
          let value = "";
          const jar = { [STATE_COOKIE]: { set: (c: { value: string }) => (value = c.value) } };
          writeAttemptCookie(jar as never, { ...attempt, next }, jwtSecret, production);
          return { ...sent, cookie: `${STATE_COOKIE}=${value}` };
        },
      });
      expect(setCookies(res).get("aura_at")).toBeString();
      expect(res.headers.get("location")).toBe("/projects");
    }
  });
});
