import { OAuthFlowError } from "./errors.ts";
import type { OAuthProvider } from "./providers.ts";

/** Who the provider says the user is. `email` counts for linking only when `emailVerified`. */
export interface OAuthProfile {
  accountId: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

const PROFILE_TIMEOUT_MS = 10_000;

class ProfileError extends Error {
  override name = "ProfileError";
}

async function getJson(url: string, accessToken: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      // GitHub's API refuses requests without a User-Agent.
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json", "user-agent": "aura" },
      signal: AbortSignal.timeout(PROFILE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new OAuthFlowError("oauth_upstream", { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new OAuthFlowError("oauth_upstream", {
      cause: new ProfileError(`${new URL(url).pathname} answered ${response.status}`),
    });
  }
  try {
    return await response.json();
  } catch (error) {
    throw new OAuthFlowError("oauth_upstream", { cause: error });
  }
}

const str = (value: unknown): string | null =>
  typeof value === "string" && value.trim() ? value.trim() : null;

function malformed(what: string): OAuthFlowError {
  return new OAuthFlowError("oauth_upstream", { cause: new ProfileError(`malformed ${what}`) });
}

async function googleProfile(provider: OAuthProvider, accessToken: string): Promise<OAuthProfile> {
  const info = (await getJson(provider.endpoints.userinfo, accessToken)) as Record<string, unknown> | null;
  const sub = str(info?.sub);
  if (!info || !sub) throw malformed("userinfo");
  return {
    accountId: sub,
    email: str(info.email),
    // OpenID Connect says boolean; some Google responses have carried the string "true".
    emailVerified: info.email_verified === true || info.email_verified === "true",
    firstName: str(info.given_name),
    lastName: str(info.family_name),
  };
}

interface GithubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

async function githubProfile(provider: OAuthProvider, accessToken: string): Promise<OAuthProfile> {
  if (!provider.endpoints.emails) throw malformed("provider setup (no emails endpoint)");
  const [user, emails] = await Promise.all([
    getJson(provider.endpoints.userinfo, accessToken) as Promise<Record<string, unknown> | null>,
    getJson(provider.endpoints.emails, accessToken),
  ]);
  const id = typeof user?.id === "number" ? String(user.id) : str(user?.id);
  if (!user || !id || !Array.isArray(emails)) throw malformed("user");
  // The public profile email may be unverified or absent; the primary address carries its own flag.
  const primary = (emails as GithubEmail[]).find((e) => e.primary === true && typeof e.email === "string");
  const [first, ...rest] = (str(user.name) ?? "").split(/\s+/);
  return {
    accountId: id,
    email: primary ? str(primary.email) : null,
    emailVerified: primary?.verified === true,
    firstName: first || str(user.login),
    lastName: rest.length > 0 ? rest.join(" ") : null,
  };
}

/** Read the signed-in user's profile from the provider's API with the access token. */
export function fetchProfile(provider: OAuthProvider, accessToken: string): Promise<OAuthProfile> {
  return provider.name === "google"
    ? googleProfile(provider, accessToken)
    : githubProfile(provider, accessToken);
}
