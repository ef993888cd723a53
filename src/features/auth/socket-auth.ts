/**
 * Who opens a WebSocket (live documents, terminals): the `token` query parameter, else the
 * session cookies — renewed as any page would renew them — from one of Aura's own pages.
 */
import type { Deps } from "../../deps.ts";
import { UnauthorizedError } from "../../errors.ts";
import { clientIp } from "../../plugins/client-ip.ts";
import type { Principal } from "./auth-guard.ts";
import { ownOrigin } from "./csrf.ts";
import { authenticate } from "./service.ts";
import { type CookieJar, resolveSession } from "./session-cookies.ts";

type SocketAuthDeps = Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens" | "logger">;

/** A refused upgrade: the API's JSON error. */
export function refuse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/**
 * A cookie jar over the request's Cookie header that records what a refresh writes, so the
 * upgrade can renew an expired access cookie as any page would.
 */
function upgradeCookies(request: Request): { jar: CookieJar; written: string[] } {
  const map = new Bun.CookieMap(request.headers.get("cookie") ?? "");
  const written: string[] = [];
  const jar = new Proxy({} as Record<string, unknown>, {
    get: (_, name: string) => ({
      value: map.get(name) ?? undefined,
      set(options: {
        value: string;
        maxAge?: number;
        path?: string;
        httpOnly?: boolean;
        secure?: boolean;
        sameSite?: "lax";
      }) {
        written.push(new Bun.Cookie(name, options.value, options).serialize());
      },
    }),
  });
  return { jar: jar as unknown as CookieJar, written };
}

/** Who is asking: the `token` query parameter, else the session cookies (renewed if needed). */
async function principalOf(deps: SocketAuthDeps, request: Request, url: URL) {
  const token = url.searchParams.get("token");
  if (token) {
    try {
      return { principal: await authenticate(deps, token), cookies: [] as string[] };
    } catch (error) {
      if (error instanceof UnauthorizedError) return undefined;
      throw error;
    }
  }
  const { jar, written } = upgradeCookies(request);
  const principal: Principal | undefined = await resolveSession(deps, jar, {
    ip: clientIp(request, deps.config.trustProxyHops),
    userAgent: request.headers.get("user-agent") ?? undefined,
  });
  return principal && { principal, cookies: written };
}

/**
 * The caller of a socket upgrade, with the cookies a renewal wrote (send them on the upgrade's
 * answer), or the refusal to answer with: 403 when a page of another site tried to use our
 * cookies, 401 without a valid session or token.
 */
export async function socketCaller(
  deps: SocketAuthDeps,
  request: Request,
  url: URL,
): Promise<{ principal: Principal; cookies: string[] } | Response> {
  const usesCookie = !url.searchParams.has("token");
  // A page of another site may open a socket with our cookies attached; only our own pages may.
  const origin = request.headers.get("origin");
  if (usesCookie && origin !== null && origin !== ownOrigin(request, deps.config.trustProxyHops))
    return refuse(403, "forbidden", "This connection did not come from Aura");
  const who = await principalOf(deps, request, url);
  if (!who) return refuse(401, "unauthorized", "Sign in, or pass a valid access token as ?token=");
  return who;
}
