import { afterAll, beforeAll, beforeEach, describe, expect, setSystemTime, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import {
  expectNoSession,
  type OAuthHarness,
  ORIGIN,
  oauthHarness,
  STATE_COOKIE,
  setCookies,
  swapParam,
  unique,
} from "../helpers/oauth-browser.ts";
import { pointedAt } from "../helpers/oauth-provider.ts";

let h: OAuthHarness;
beforeAll(async () => {
  h = await oauthHarness();
}, 60_000);
afterAll(() => h.close());
beforeEach(() => h.reset());

describe("refusing", () => {
  test("the state cookie is HttpOnly, SameSite=Lax, short-lived and signed", async () => {
    const { stateCookie, res } = await h.start("google");
    const line = res.headers.getSetCookie().find((l) => l.startsWith(`${STATE_COOKIE}=`))!;
    expect(line).toContain("HttpOnly");
    expect(line).toMatch(/SameSite=Lax/i);
    expect(line).toContain("Max-Age=600");
    expect(stateCookie).toMatch(/^[\w-]+\.[\w-]{43}$/);
  });

  test("a state that does not match the cookie is rejected without a session", async () => {
    const res = await h.signIn("google", {
      tamper: (s) => ({ ...s, path: swapParam(s.path, "state", "forged") }),
    });
    expect(res.headers.get("location")).toBe("/login?error=oauth_state&provider=google");
    expectNoSession(res);
  });

  test("a callback without the state cookie is rejected", async () => {
    const res = await h.signIn("github", { tamper: (s) => ({ ...s, cookie: "" }) });
    expect(res.headers.get("location")).toBe("/login?error=oauth_state&provider=github");
    expect(setCookies(res).has("aura_at")).toBe(false);
  });

  test("a state cookie started for the other provider is rejected", async () => {
    const github = await h.start("github");
    const googlePath = await h.consent((await h.start("google")).authorizeUrl);
    const githubState = new URL(github.authorizeUrl).searchParams.get("state")!;
    const res = await h.get(
      swapParam(googlePath, "state", githubState),
      `${STATE_COOKIE}=${github.stateCookie}`,
    );
    expect(res.headers.get("location")).toStartWith("/login?error=oauth_state");
    expectNoSession(res);
  });

  test("a state cookie older than ten minutes is rejected", async () => {
    setSystemTime(new Date(Date.now() - 11 * 60_000));
    const started = await h.start("google");
    setSystemTime();
    const res = await h.get(await h.consent(started.authorizeUrl), `${STATE_COOKIE}=${started.stateCookie}`);
    expect(res.headers.get("location")).toStartWith("/login?error=oauth_state");
    expectNoSession(res);
  });

  test("a tampered cookie (a PKCE verifier of the attacker's choosing) is rejected before any exchange", async () => {
    const before = h.provider.requests.filter((r) => r.path === "/google/token").length;
    const res = await h.signIn("google", {
      tamper: (s) => {
        const [payload, sig] = s.cookie.slice(STATE_COOKIE.length + 1).split(".");
        const body = JSON.parse(Buffer.from(payload!, "base64url").toString());
        body.codeVerifier = "attacker-chosen-verifier-attacker-chosen-verifier";
        const forged = Buffer.from(JSON.stringify(body)).toString("base64url");
        return { ...s, cookie: `${STATE_COOKIE}=${forged}.${sig}` };
      },
    });
    expect(res.headers.get("location")).toStartWith("/login?error=oauth_state");
    expectNoSession(res);
    expect(h.provider.requests.filter((r) => r.path === "/google/token")).toHaveLength(before);
  });

  test("a code redeemed with another flow's verifier is refused by the provider: no session", async () => {
    for (const which of ["google", "github"] as const) {
      h.provider.identity[which] = {
        id: `${which}-pkce`.replace("github-pkce", "9001"),
        email: unique("pkce"),
        verified: true,
      };
      // The browser holds the cookie of flow A but comes back with the code issued to flow B.
      const a = await h.start(which);
      const bPath = await h.consent((await h.start(which)).authorizeUrl);
      const aState = new URL(a.authorizeUrl).searchParams.get("state")!;
      const res = await h.get(swapParam(bPath, "state", aState), `${STATE_COOKIE}=${a.stateCookie}`);
      expect(res.headers.get("location")).toBe(`/login?error=oauth_rejected&provider=${which}`);
      expectNoSession(res);
      expect(await h.userByEmail(h.provider.identity[which].email!)).toBeUndefined();
    }
    expect(h.t.logs.some((l) => l.level === "warn" && l.failure === "oauth_rejected")).toBe(true);
  });

  test("error=access_denied from the provider goes back to /login", async () => {
    h.provider.deny = true;
    const res = await h.signIn("google");
    expect(res.headers.get("location")).toBe("/login?error=oauth_denied&provider=google");
    expectNoSession(res);
  });

  test("a token endpoint answering 500 is an upstream failure, logged without codes or tokens", async () => {
    h.provider.tokenDown = true;
    h.provider.identity.google = { id: "g-down", email: unique("down"), verified: true };
    const res = await h.signIn("google");
    expect(res.headers.get("location")).toBe("/login?error=oauth_upstream&provider=google");
    expectNoSession(res);
    const line = h.t.logs.findLast((l) => l.failure === "oauth_upstream")!;
    expect(line).toMatchObject({ level: "warn", provider: "google", status: 500 });
    const code = h.provider.requests.findLast((r) => r.path === "/google/token")!.params.code!;
    expect(JSON.stringify(h.t.logs)).not.toContain(code);
  });

  test("an unconfigured provider is 404 and an unknown one 400", async () => {
    const googleOnly = { ...h.t.deps.config, oauth: { ...h.t.deps.config.oauth, github: undefined } };
    const other = createApp({ ...h.t.deps, config: pointedAt(googleOnly, h.provider) });
    const req = (path: string) => other.handle(new Request(`${ORIGIN}${path}`));
    expect((await req("/auth/oauth/github")).status).toBe(404);
    expect((await req("/auth/oauth/github/callback?code=x&state=y")).status).toBe(404);
    expect((await req("/auth/oauth/google")).status).toBe(302);
    expect((await req("/auth/oauth/facebook")).status).toBe(400);
  });

  test("X-Forwarded-Proto/Host shape the redirect URI only behind a trusted proxy", async () => {
    const headers = { "x-forwarded-proto": "https", "x-forwarded-host": "aura.example" };
    const redirectUri = async (trustProxyHops: number) => {
      const config = { ...h.t.deps.config, trustProxyHops };
      const other = createApp({ ...h.t.deps, config: pointedAt(config, h.provider) });
      const res = await other.handle(new Request(`${ORIGIN}/auth/oauth/google`, { headers }));
      return new URL(res.headers.get("location")!).searchParams.get("redirect_uri");
    };
    expect(await redirectUri(0)).toBe(`${ORIGIN}/auth/oauth/google/callback`);
    expect(await redirectUri(1)).toBe("https://aura.example/auth/oauth/google/callback");
  });
});
