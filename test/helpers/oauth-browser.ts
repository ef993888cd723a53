import { expect } from "bun:test";
import { eq } from "drizzle-orm";
import { createApp } from "../../src/app.ts";
import { users } from "../../src/db/schema/users.ts";
import { createTestApp } from "./app.ts";
import { pointedAt, STAND_IN_ENV, startOAuthProvider } from "./oauth-provider.ts";

/** The origin test requests use, and so the callback URLs registered with the stand-in. */
export const ORIGIN = "http://localhost";
export const STATE_COOKIE = "aura_oauth";

type Which = "google" | "github";
type Sent = { path: string; cookie: string };

/** name → value of the cookies a response sets (a cleared cookie has an empty value). */
export function setCookies(res: Response): Map<string, string> {
  return new Map(
    res.headers.getSetCookie().map((line) => {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      return [pair!.slice(0, at), decodeURIComponent(pair!.slice(at + 1))];
    }),
  );
}

/** Assert a response started no session, and spent the sign-in attempt. */
export function expectNoSession(res: Response) {
  const cookies = setCookies(res);
  expect(cookies.has("aura_at")).toBe(false);
  expect(cookies.has("aura_rt")).toBe(false);
  expect(cookies.get(STATE_COOKIE)).toBe("");
}

/** A fresh address for one test. */
export const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;

/** Set `name` in (or, with null, remove it from) a path's query. */
export function swapParam(path: string, name: string, value: string | null): string {
  const url = new URL(path, ORIGIN);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return url.pathname + url.search;
}

/**
 * The app with both providers configured against a running stand-in, and a "browser" that
 * walks the redirects by hand so a test can tamper with what comes back.
 */
export async function oauthHarness(env: Record<string, string> = {}) {
  const t = await createTestApp({ ...STAND_IN_ENV, ...env });
  const provider = startOAuthProvider({
    google: `${ORIGIN}/auth/oauth/google/callback`,
    github: `${ORIGIN}/auth/oauth/github/callback`,
  });
  const app = createApp({ ...t.deps, config: pointedAt(t.deps.config, provider) });
  const get = (path: string, cookie?: string) =>
    app.handle(new Request(`${ORIGIN}${path}`, { headers: cookie ? { cookie } : {} }));

  /** Start a flow; returns the provider URL and the state cookie the browser now holds. */
  async function start(which: Which, query = "") {
    const res = await get(`/auth/oauth/${which}${query}`);
    expect(res.status).toBe(302);
    return {
      authorizeUrl: res.headers.get("location")!,
      stateCookie: setCookies(res).get(STATE_COOKIE)!,
      res,
    };
  }

  /** Let the stand-in consent and return the callback path (with code and state) it redirects to. */
  async function consent(authorizeUrl: string): Promise<string> {
    const res = await fetch(authorizeUrl, { redirect: "manual" });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    expect(back.origin).toBe(ORIGIN);
    return back.pathname + back.search;
  }

  /** A whole round trip; `tamper` may alter the callback path or state cookie before it is sent. */
  async function signIn(which: Which, options: { query?: string; tamper?: (s: Sent) => Sent } = {}) {
    const { authorizeUrl, stateCookie } = await start(which, options.query);
    const sent = { path: await consent(authorizeUrl), cookie: `${STATE_COOKIE}=${stateCookie}` };
    const { path, cookie } = options.tamper?.(sent) ?? sent;
    return get(path, cookie);
  }

  return {
    t,
    provider,
    app,
    get,
    start,
    consent,
    signIn,
    me: (token: string) =>
      app.handle(new Request(`${ORIGIN}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })),
    async userByEmail(email: string) {
      const [row] = await (await t.deps.db.get()).select().from(users).where(eq(users.email, email));
      return row;
    },
    reset() {
      provider.deny = false;
      provider.tokenDown = false;
    },
    async close() {
      await provider.stop();
      await t.close();
    },
  };
}

export type OAuthHarness = Awaited<ReturnType<typeof oauthHarness>>;
