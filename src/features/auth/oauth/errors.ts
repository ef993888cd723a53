import { AppError } from "../../../errors.ts";

/**
 * Why an OAuth sign-in ended without a session. The callback turns each into a redirect to
 * `/login?error=<code>`; the login page shows `oauthErrorMessage(code)`, never text from the URL.
 */
export type OAuthFailure =
  | "oauth_state"
  | "oauth_denied"
  | "oauth_provider"
  | "oauth_rejected"
  | "oauth_unverified_email"
  | "oauth_upstream"
  | "oauth_link_taken"
  | "oauth_link_other"
  | "oauth_link_session";

const MESSAGES: Record<OAuthFailure, string> = {
  oauth_state: "That sign-in link expired or could not be verified. Please try again.",
  oauth_denied: "Sign-in was cancelled.",
  oauth_provider: "The provider could not complete the sign-in. Please try again.",
  oauth_rejected: "The provider did not accept this sign-in attempt. Please try again.",
  oauth_unverified_email:
    "Your account there has no verified email address. Verify one with the provider, or register with a password.",
  oauth_upstream: "The sign-in provider is not reachable right now. Please try again in a moment.",
  oauth_link_taken:
    "That account is already linked to another Aura account. Sign in with it and unlink it there, or delete that account, first.",
  oauth_link_other:
    "Your account is already linked to a different account with that provider. Unlink it before linking another.",
  oauth_link_session: "Linking was started by another sign-in. Please try again from your account page.",
};

/** The readable message for a `?error=` code on /login, or undefined for anything else. */
export function oauthErrorMessage(code: string | undefined): string | undefined {
  return code !== undefined && Object.hasOwn(MESSAGES, code) ? MESSAGES[code as OAuthFailure] : undefined;
}

/** Thrown by the OAuth flow and service; `failure` is the code the callback redirects with. */
export class OAuthFlowError extends AppError {
  constructor(
    readonly failure: OAuthFailure,
    options?: { cause?: unknown },
  ) {
    super(failure === "oauth_upstream" ? 502 : 400, failure, MESSAGES[failure], options);
  }
}
