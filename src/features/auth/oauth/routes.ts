import { generateCodeVerifier, generateState } from "arctic";
import { type Cookie, Elysia } from "elysia";
import { requestContext } from "../../../common/http.ts";
import type { Deps } from "../../../deps.ts";
import { githubHost, saveGitToken } from "../../git/credentials.ts";
import { HOME, safeNextPath } from "../next-path.ts";
import { type CookieJar, writeSessionCookies } from "../session-cookies.ts";
import { currentViewer } from "../session-guard.ts";
import { type OAuthFailure, OAuthFlowError } from "./errors.ts";
import { completeAuthorization, completeGrant, describeFailure } from "./exchange.ts";
import { CallbackQuery, ProviderParams, StartQuery } from "./model.ts";
import { callbackUrl } from "./origin.ts";
import { type OAuthProviderName, oauthProvider } from "./providers.ts";
import { linkOAuthIdentity, signInWithOAuth } from "./service.ts";
import { stateMatches, takeAttemptCookie, writeAttemptCookie } from "./state-cookie.ts";

// Status and Location on `set` (not a returned Response) so the jar's Set-Cookie headers ride along.
function redirect(set: { status?: number | string; headers: Record<string, unknown> }, location: string) {
  set.status = 302;
  set.headers.location = location;
  set.headers["cache-control"] = "no-store";
}

/**
 * Start an authorization with `provider`: remember the attempt (state, PKCE verifier, where to
 * go after, and for a link the signed-in user it is for) in the signed state cookie, and answer
 * the provider URL to send the browser to.
 */
export function beginAuthorization(
  deps: Pick<Deps, "config">,
  name: OAuthProviderName,
  request: Request,
  cookie: Record<string, Cookie<unknown>>,
  intent: {
    next?: string | undefined;
    linkUserId?: string;
    gitUserId?: string;
    extraScopes?: readonly string[];
  },
): string {
  const { production, jwtSecret, trustProxyHops } = deps.config;
  const provider = oauthProvider(deps, name, callbackUrl(request, name, trustProxyHops));
  const state = generateState();
  const codeVerifier = generateCodeVerifier();
  writeAttemptCookie(
    cookie,
    {
      provider: provider.name,
      state,
      codeVerifier,
      next: intent.next,
      linkUserId: intent.linkUserId,
      gitUserId: intent.gitUserId,
    },
    jwtSecret,
    production,
  );
  return provider.authorizationUrl(state, codeVerifier, intent.extraScopes).href;
}

/**
 * OAuth sign-in (docs/api.md, "Auth"): `GET /auth/oauth/:provider` sends the browser to the provider with
 * `state` and a PKCE challenge; the callback signs in and redirects to `next` or /projects. Every
 * failure redirects to `/login?error=<code>` (see errors.ts) without a session. An attempt the
 * account page started to link a provider (`linkUserId`) links instead, and reports back to
 * `/account` (`?linked=<provider>` or `?error=<code>`).
 */
export function oauthRoutes(deps: Deps) {
  const { production, jwtSecret, trustProxyHops } = deps.config;
  return new Elysia({ prefix: "/auth/oauth" })
    .get(
      "/:provider",
      ({ params, query, request, cookie, set }) => {
        const next = safeNextPath(query.next);
        redirect(set, beginAuthorization(deps, params.provider, request, cookie, { next }));
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
        // A link attempt reports back to the account page, a git grant to the project it came
        // from; a sign-in to the login page.
        const linking = attempt?.linkUserId !== undefined;
        const granting = attempt?.gitUserId !== undefined;
        const fail = (failure: OAuthFailure, facts: Record<string, unknown> = {}) => {
          const level = failure === "oauth_upstream" || failure === "oauth_rejected" ? "warn" : "info";
          const what = linking
            ? "OAuth link failed"
            : granting
              ? "OAuth git grant failed"
              : "OAuth sign-in failed";
          deps.logger[level]({ provider: provider.name, failure, ...facts }, what);
          const back = linking ? "/account" : granting ? (safeNextPath(attempt?.next) ?? HOME) : "/login";
          redirect(set, `${back}?error=${failure}&provider=${provider.name}`);
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
          if (attempt.gitUserId !== undefined) {
            const viewer = await currentViewer(deps, request, cookie);
            if (viewer?.user.id !== attempt.gitUserId) throw new OAuthFlowError("oauth_link_session");
            const { accessToken } = await completeGrant(provider, query.code, attempt.codeVerifier);
            const github = deps.config.oauth.github;
            await saveGitToken(deps, viewer.user.id, accessToken, githubHost(github ?? {}));
            return redirect(set, `${safeNextPath(attempt.next) ?? HOME}?git=${provider.name}`);
          }
          const profile = await completeAuthorization(provider, query.code, attempt.codeVerifier);
          const ctx = requestContext(request, trustProxyHops);
          if (attempt.linkUserId !== undefined) {
            // Bound to who started it: the same person must still be signed in in this browser.
            const viewer = await currentViewer(deps, request, cookie);
            if (viewer?.user.id !== attempt.linkUserId) throw new OAuthFlowError("oauth_link_session");
            await linkOAuthIdentity(deps, viewer.user.id, provider.name, profile, ctx);
            return redirect(set, `/account?linked=${provider.name}`);
          }
          const issued = await signInWithOAuth(deps, provider.name, profile, ctx);
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
