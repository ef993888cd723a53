import {
  OAuth2RequestError,
  type OAuth2Tokens,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from "arctic";
import { OAuthFlowError } from "./errors.ts";
import { fetchProfile, type OAuthProfile } from "./profile.ts";
import type { OAuthProvider } from "./providers.ts";

/** How long the token endpoint may take; arctic's request takes no AbortSignal, so it is raced. */
const TOKEN_TIMEOUT_MS = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`token endpoint did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

// A 400/401 is the provider refusing this code or verifier; anything else means it is unwell.
function classify(error: unknown): OAuthFlowError {
  const refused =
    error instanceof OAuth2RequestError ||
    ((error instanceof UnexpectedResponseError || error instanceof UnexpectedErrorResponseBodyError) &&
      (error.status === 400 || error.status === 401));
  return new OAuthFlowError(refused ? "oauth_rejected" : "oauth_upstream", { cause: error });
}

/** Trade the authorization code (with the PKCE verifier) for an access token. */
async function exchangeCode(provider: OAuthProvider, code: string, codeVerifier: string): Promise<string> {
  let tokens: OAuth2Tokens;
  try {
    tokens = await withTimeout(
      provider.client.validateAuthorizationCode(provider.endpoints.token, code, codeVerifier),
      TOKEN_TIMEOUT_MS,
    );
  } catch (error) {
    throw classify(error);
  }
  // GitHub answers a refused code with 200 and an `error` field, which arctic's generic client
  // hands back as tokens; its own GitHub class checks for this, but that class has no PKCE.
  const data = tokens.data as Record<string, unknown>;
  if (typeof data.error === "string") {
    throw new OAuthFlowError("oauth_rejected", {
      cause: new OAuth2RequestError(data.error, null, null, null),
    });
  }
  try {
    return tokens.accessToken();
  } catch (error) {
    throw new OAuthFlowError("oauth_upstream", { cause: error });
  }
}

/**
 * Finish an authorization: exchange the code and read who the user is. Throws OAuthFlowError:
 * `oauth_rejected` when the provider refuses the code or verifier, `oauth_upstream` when it fails.
 */
export async function completeAuthorization(
  provider: OAuthProvider,
  code: string,
  codeVerifier: string,
): Promise<OAuthProfile> {
  return (await completeGrant(provider, code, codeVerifier)).profile;
}

/** As completeAuthorization, keeping the access token too (a grant to push with git). */
export async function completeGrant(provider: OAuthProvider, code: string, codeVerifier: string) {
  const accessToken = await exchangeCode(provider, code, codeVerifier);
  return { profile: await fetchProfile(provider, accessToken), accessToken };
}

/** Log-safe facts about a flow failure: error classes, statuses and OAuth error codes, never codes or tokens. */
export function describeFailure(error: OAuthFlowError): Record<string, unknown> {
  const cause = error.cause;
  const facts: Record<string, unknown> = { failure: error.failure };
  if (cause instanceof OAuth2RequestError) facts.oauthError = cause.code;
  if (cause instanceof UnexpectedResponseError || cause instanceof UnexpectedErrorResponseBodyError)
    facts.status = cause.status;
  if (cause instanceof Error) {
    facts.reason = cause.name === "Error" ? cause.message : `${cause.name}: ${cause.message}`;
    if (cause.cause instanceof Error) facts.detail = cause.cause.message;
  }
  return facts;
}
