import type { Cookie } from "elysia";
import type { RequestContext } from "../../common/http.ts";
import type { Deps } from "../../deps.ts";
import { UnauthorizedError } from "../../errors.ts";
import type { Principal } from "./auth-guard.ts";
import { authenticate, refresh } from "./service.ts";
import { ACCESS_TTL_SECONDS, REFRESH_TTL_SECONDS } from "./tokens.ts";

/** Elysia's cookie jar as routes receive it. */
export type CookieJar = Record<string, Cookie<string | undefined>>;

/** Seconds within which a just-rotated refresh cookie still counts (parallel requests race). */
const REFRESH_GRACE_SECONDS = 10;

/** Cookie names; `__Host-` in production pins them to this origin, HTTPS and path `/`. */
export function sessionCookieNames(production: boolean) {
  const prefix = production ? "__Host-" : "";
  return { access: `${prefix}aura_at`, refresh: `${prefix}aura_rt` };
}

function options(production: boolean, maxAge: number) {
  return { httpOnly: true, secure: production, sameSite: "lax" as const, path: "/", maxAge };
}

/** Store a session in HttpOnly cookies: the access token (15 min) and, when given, the refresh token (30 days). */
export function writeSessionCookies(
  jar: CookieJar,
  tokens: { token: string; refreshToken: string | null },
  production: boolean,
): void {
  const names = sessionCookieNames(production);
  jar[names.access]!.set({ value: tokens.token, ...options(production, ACCESS_TTL_SECONDS) });
  if (tokens.refreshToken) {
    jar[names.refresh]!.set({ value: tokens.refreshToken, ...options(production, REFRESH_TTL_SECONDS) });
  }
}

export function clearSessionCookies(jar: CookieJar, production: boolean): void {
  const names = sessionCookieNames(production);
  for (const name of [names.access, names.refresh]) jar[name]!.set({ value: "", ...options(production, 0) });
}

/** The refresh token in the cookies, if any (logout needs it). */
export function refreshCookie(jar: CookieJar, production: boolean): string | undefined {
  return jar[sessionCookieNames(production).refresh]?.value || undefined;
}

/**
 * The signed-in principal from the session cookies, refreshing transparently: an expired or
 * missing access cookie is renewed from the refresh cookie (rotating it). Undefined when there
 * is no valid session; stale cookies are cleared.
 */
export async function resolveSession(
  deps: Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens">,
  jar: CookieJar,
  ctx: RequestContext,
): Promise<Principal | undefined> {
  const production = deps.config.production;
  const names = sessionCookieNames(production);
  const access = jar[names.access]?.value;
  if (access) {
    try {
      return await authenticate(deps, access);
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
    }
  }
  const refreshToken = jar[names.refresh]?.value;
  if (!refreshToken) return undefined;
  try {
    const issued = await refresh(deps, refreshToken, ctx, { graceSeconds: REFRESH_GRACE_SECONDS });
    writeSessionCookies(jar, issued, production);
    return await authenticate(deps, issued.token);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    clearSessionCookies(jar, production);
    return undefined;
  }
}
