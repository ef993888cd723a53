import { createHmac } from "node:crypto";
import { type Cookie, Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { ForbiddenError } from "../../errors.ts";
import { sameSecret } from "../../timing-safe.ts";
import { requestOrigin } from "./oauth/origin.ts";
import type { CookieJar } from "./session-cookies.ts";
import { REFRESH_TTL_SECONDS } from "./tokens.ts";

/** The form field and the header (htmx, via `hx-headers:inherited` on <body>) that carry the token. */
const CSRF_FIELD = "_csrf";
const CSRF_HEADER = "x-csrf-token";

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// 32 random bytes, base64url: anything else in the cookie is ignored and replaced.
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

function csrfCookieName(production: boolean): string {
  return production ? "__Host-aura_csrf" : "aura_csrf";
}

/**
 * The token for a cookie value: HMAC-SHA256 under a key derived from the JWT secret. The
 * derivation matters: signing the raw cookie with the JWT key would let anyone who plants a
 * cookie of the form `header.payload` read a valid JWT signature off the page.
 */
function csrfTokenFor(secret: string, cookieValue: string): string {
  const key = createHmac("sha256", secret).update("aura csrf token v1").digest();
  return createHmac("sha256", key).update(cookieValue).digest("base64url");
}

/**
 * The CSRF token for this browser, issuing the HttpOnly cookie it is bound to when absent.
 * Call it from every GET handler that renders a form.
 */
export function issueCsrfToken(deps: Pick<Deps, "config">, cookies: Record<string, Cookie<unknown>>): string {
  const { production, jwtSecret } = deps.config;
  const cookie = (cookies as CookieJar)[csrfCookieName(production)]!;
  let value = cookie.value;
  if (!value || !COOKIE_VALUE.test(value)) {
    value = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    cookie.set({
      value,
      httpOnly: true,
      secure: production,
      sameSite: "lax",
      path: "/",
      maxAge: REFRESH_TTL_SECONDS,
    });
  }
  return csrfTokenFor(jwtSecret, value);
}

function originOf(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * This app's origin as the browser sees it; behind trusted proxies, from X-Forwarded-Proto/Host
 * read exactly as the OAuth callback reads them (the outermost trusted proxy's value), so the
 * two can never disagree about where the app is.
 */
export function ownOrigin(request: Request, trustProxyHops: number): string {
  return requestOrigin(request, trustProxyHops);
}

/** True when the request must pass the CSRF check: a state-changing request to the HTML face. */
function needsCsrfCheck(request: Request): boolean {
  return UNSAFE.has(request.method) && !new URL(request.url).pathname.startsWith("/api/");
}

/**
 * Reject cross-site state changes on the HTML face (the JSON face uses Bearer tokens, which a
 * browser never attaches by itself): the Origin (or, without one, the Referer) must be this
 * app's, and the request must carry the token bound to its CSRF cookie. 403 `csrf_failed`.
 */
export function csrfPlugin(deps: Pick<Deps, "config">) {
  const { production, jwtSecret, trustProxyHops } = deps.config;
  const fail = (why: string) => new ForbiddenError(`${why}. Reload the page and try again.`, "csrf_failed");
  return new Elysia({ name: "csrf" }).onTransform({ as: "global" }, ({ request, body, cookie }) => {
    if (!needsCsrfCheck(request)) return;
    // A present Origin decides (even "null"); only without one does the Referer stand in.
    const originHeader = request.headers.get("origin");
    const origin = originOf(originHeader ?? request.headers.get("referer"));
    if (origin !== ownOrigin(request, trustProxyHops)) throw fail("This request did not come from Aura");

    const value = (cookie as CookieJar)[csrfCookieName(production)]?.value;
    const field = (body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
    const sent = request.headers.get(CSRF_HEADER) ?? (typeof field === "string" ? field : undefined);
    if (!value || !COOKIE_VALUE.test(value) || !sent || !sameSecret(sent, csrfTokenFor(jwtSecret, value))) {
      throw fail("This form has expired or was not sent from this page");
    }
  });
}
