import { type Cookie, Elysia } from "elysia";
import type { AccountUser } from "../../db/schema/users.ts";
import type { Deps } from "../../deps.ts";
import { UnauthorizedError } from "../../errors.ts";
import { createAllowances } from "../../plugins/allowances.ts";
import { clientIp } from "../../plugins/client-ip.ts";
import { isHtmx } from "../../plugins/htmx.ts";
import type { Principal } from "./auth-guard.ts";
import { issueCsrfToken } from "./csrf.ts";
import { currentUser } from "./service.ts";
import { type CookieJar, clearSessionCookies, resolveSession } from "./session-cookies.ts";

type SessionDeps = Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens">;

/** The signed-in person on the HTML face, and the CSRF token their forms carry. */
export interface Viewer {
  principal: Principal;
  user: AccountUser;
  csrfToken: string;
}

/**
 * The viewer behind the session cookies (refreshing them transparently), or undefined when
 * signed out. A session whose account is gone is cleared.
 */
export async function currentViewer(
  deps: SessionDeps,
  request: Request,
  cookies: Record<string, Cookie<unknown>>,
): Promise<Viewer | undefined> {
  const jar = cookies as CookieJar;
  const ctx = {
    ip: clientIp(request, deps.config.trustProxyHops),
    userAgent: request.headers.get("user-agent") ?? undefined,
  };
  const principal = await resolveSession(deps, jar, ctx);
  if (!principal) return undefined;
  try {
    const user = await currentUser(deps, principal.userId);
    return { principal, user, csrfToken: issueCsrfToken(deps, jar) };
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    clearSessionCookies(jar, deps.config.production);
    return undefined;
  }
}

/** Where an anonymous visitor is sent: the login page, coming back here after a GET. */
function loginRedirect(request: Request): string {
  if (request.method !== "GET") return "/login";
  const url = new URL(request.url);
  return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/**
 * The HTML face's guard: `{ session: true }` on a route resolves `viewer` (counting the request
 * against the user's editor allowance) or sends the visitor to sign in (303, or `HX-Redirect` for htmx, which would otherwise swap the login page in).
 */
export function sessionPlugin(deps: SessionDeps) {
  const allowances = createAllowances(deps);
  return new Elysia({ name: "session" }).macro({
    session: (_required: true) => ({
      async resolve({ request, cookie, set, status }) {
        const viewer = await currentViewer(deps, request, cookie);
        if (viewer) {
          // Signed-in pages and fragments draw from the editor allowance (docs/api.md).
          await allowances.charge("editor", viewer.user.id, set);
          return { viewer };
        }
        const location = loginRedirect(request);
        if (isHtmx(request)) {
          set.headers["hx-redirect"] = location;
          return status(200, "");
        }
        set.headers.location = location;
        return status(303, "");
      },
    }),
  });
}
