import { CodeChallengeMethod, OAuth2Client } from "arctic";
import type { Deps } from "../../../deps.ts";
import { NotFoundError } from "../../../errors.ts";

/** The OAuth providers Aura signs in with. */
const OAUTH_PROVIDERS = ["google", "github"] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];

/** Where a provider lives: authorization and token endpoints, and the profile API. */
interface OAuthEndpoints {
  authorize: string;
  token: string;
  userinfo: string;
  /** GitHub only: the list of the user's addresses with their verified flags. */
  emails?: string;
}

const REAL_ENDPOINTS: Record<OAuthProviderName, OAuthEndpoints> = {
  google: {
    authorize: "https://accounts.google.com/o/oauth2/v2/auth",
    token: "https://oauth2.googleapis.com/token",
    userinfo: "https://openidconnect.googleapis.com/v1/userinfo",
  },
  github: {
    authorize: "https://github.com/login/oauth/authorize",
    token: "https://github.com/login/oauth/access_token",
    userinfo: "https://api.github.com/user",
    emails: "https://api.github.com/user/emails",
  },
};

const SCOPES: Record<OAuthProviderName, string[]> = {
  google: ["openid", "email", "profile"],
  github: ["read:user", "user:email"],
};

/** Human names, for messages. */
const PROVIDER_LABELS: Record<OAuthProviderName, string> = { google: "Google", github: "GitHub" };

/** One configured provider for one redirect URI: builds its authorization URL and exchanges codes. */
export interface OAuthProvider {
  name: OAuthProviderName;
  endpoints: OAuthEndpoints;
  redirectUri: string;
  /**
   * The provider's authorization URL carrying `state` and the S256 challenge of `codeVerifier`,
   * asking for the sign-in scopes and `extraScopes` (GitHub's `repo`, asked for only to push).
   */
  authorizationUrl(state: string, codeVerifier: string, extraScopes?: readonly string[]): URL;
  client: OAuth2Client;
}

/**
 * The provider `name` set up for `redirectUri`; a provider without credentials is a 404, as
 * if the route did not exist. The configuration may replace the provider's URLs.
 */
export function oauthProvider(
  deps: Pick<Deps, "config">,
  name: OAuthProviderName,
  redirectUri: string,
): OAuthProvider {
  const credentials = deps.config.oauth[name];
  if (!credentials) throw new NotFoundError(`${PROVIDER_LABELS[name]} sign-in`);
  const endpoints = { ...REAL_ENDPOINTS[name], ...credentials.endpoints };
  // The generic client (not arctic's GitHub class) so that GitHub gets PKCE too.
  const client = new OAuth2Client(credentials.clientId, credentials.clientSecret, redirectUri);
  return {
    name,
    endpoints,
    redirectUri,
    client,
    authorizationUrl: (state, codeVerifier, extraScopes = []) =>
      client.createAuthorizationURLWithPKCE(
        endpoints.authorize,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        [...SCOPES[name], ...extraScopes],
      ),
  };
}
