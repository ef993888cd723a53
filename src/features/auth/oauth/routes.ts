import { generateCodeVerifier, generateState } from "arctic";
import { Elysia } from "elysia";
import { requestContext } from "../../../common/http.ts";
import type { Deps } from "../../../deps.ts";
import { HOME, safeNextPath } from "../next-path.ts";
import { type CookieJar, writeSessionCookies } from "../session-cookies.ts";
import { type OAuthFailure, OAuthFlowError } from "./errors.ts";
import { completeAuthorization, describeFailure } from "./exchange.ts";
import { CallbackQuery, ProviderParams, StartQuery } from "./model.ts";
import { callbackUrl } from "./origin.ts";
import { oauthProvider } from "./providers.ts";
import { signInWithOAuth } from "./service.ts";
import { stateMatches, takeAttemptCookie, writeAttemptCookie } from "./state-cookie.ts";

// Status and Location on `set` (not a returned Response) so the jar's Set-Cookie headers ride along.
function redirect(set: { status?: number | string; headers: Record<string, unknown> }, location: string) {
  set.status = 302;
  set.headers.location = location;
  set.headers["cache-control"] = "no-store";
}

/**
 * OAuth sign-in (docs/api.md, "Auth"): `GET /auth/oauth/:provider` sends the browser to the provider with
 * `state` and a PKCE challenge; the callback signs in and redirects to `next` or /projects. Every
 * failure redirects to `/login?error=<code>` (see errors.ts) without a session.
 */
export function oauthRoutes(deps: Deps) {
  const { production, jwtSecret, trustProxyHops } = deps.config;
  return new Elysia({ prefix: "/auth/oauth" })
    .get(
      "/:provider",
      ({ params, query, request, cookie, set }) => {
        const provider = oauthProvider(
          deps,
          params.provider,
          callbackUrl(request, params.provider, trustProxyHops),
        );
        const state = generateState();
        const codeVerifier = generateCodeVerifier();
        const next = safeNextPath(query.next);
        writeAttemptCookie(
          cookie,
          { provider: provider.name, state, codeVerifier, next },
          jwtSecret,
          production,
        );
        redirect(set, provider.authorizationUrl(state, codeVerifier).href);
      },
      { params: ProviderParams, query: StartQuery },
    )
    .get(
      "/:provider/callback",
      async ({ params, query, request, cookie, set }) => {
        const provider = oauthProvider(
          deps,
          params.provider,
          callbackUrl(request, params.provider, trustProxyHops),
        );
        const attempt = takeAttemptCookie(cookie, provider.name, jwtSecret, production);
        const fail = (failure: OAuthFailure, facts: Record<string, unknown> = {}) => {
          const level = failure === "oauth_upstream" || failure === "oauth_rejected" ? "warn" : "info";
          deps.logger[level]({ provider: provider.name, failure, ...facts }, "OAuth sign-in failed");
          redirect(set, `/login?error=${failure}&provider=${provider.name}`);
        };

        if (query.error) {
          return fail(query.error === "access_denied" ? "oauth_denied" : "oauth_provider", {
            providerError: query.error,
          });
        }
        if (!attempt || !stateMatches(attempt, query.state) || !query.code) {
          return fail("oauth_state", { cookie: attempt ? "valid" : "missing or invalid" });
        }
        try {
          const profile = await completeAuthorization(provider, query.code, attempt.codeVerifier);
          const issued = await signInWithOAuth(
            deps,
            provider.name,
            profile,
            requestContext(request, trustProxyHops),
          );
          // Elysia types an unschema'd jar as unknown; session cookies only ever hold strings.
          writeSessionCookies(cookie as CookieJar, issued, production);
          // Checked again on the way out: the cookie may predate a stricter rule.
          redirect(set, safeNextPath(attempt.next) ?? HOME);
        } catch (error) {
          if (!(error instanceof OAuthFlowError)) throw error;
          fail(error.failure, describeFailure(error));
        }
      },
      { params: ProviderParams, query: CallbackQuery },
    );
}
