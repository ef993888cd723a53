import { createHmac, timingSafeEqual } from "node:crypto";
import type { Cookie } from "elysia";
import { sameSecret } from "../../../timing-safe.ts";
import type { OAuthProviderName } from "./providers.ts";

/** Elysia's cookie jar as routes receive it; values are unknown until checked. */
type Jar = Record<string, Cookie<unknown>>;

/** A sign-in attempt lasts at most ten minutes between leaving for the provider and coming back. */
const STATE_TTL_SECONDS = 10 * 60;

/** What the browser carries between the start of a flow and its callback. */
export interface OAuthAttempt {
  provider: OAuthProviderName;
  state: string;
  codeVerifier: string;
  next: string | undefined;
  /** Set when a signed-in user links this provider: the account the identity is to join. */
  linkUserId?: string | undefined;
  /** Set when a signed-in user lets Aura push to GitHub as them: whose git token the grant becomes. */
  gitUserId?: string | undefined;
}

/** The cookie's name; `__Host-` in production pins it to this origin, HTTPS and path `/`. */
function stateCookieName(production: boolean): string {
  return production ? "__Host-aura_oauth" : "aura_oauth";
}

function options(production: boolean, maxAge: number) {
  return { httpOnly: true, secure: production, sameSite: "lax" as const, path: "/", maxAge };
}

// A distinct label keeps this MAC from ever being valid for anything else signed with the JWT secret.
function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`aura-oauth-state.${payload}`).digest();
}

/** Store the attempt in a short-lived, HttpOnly, signed cookie. */
export function writeAttemptCookie(jar: Jar, attempt: OAuthAttempt, secret: string, production: boolean) {
  const body = { ...attempt, expiresAt: Date.now() + STATE_TTL_SECONDS * 1000 };
  const payload = Buffer.from(JSON.stringify(body)).toString("base64url");
  const value = `${payload}.${mac(secret, payload).toString("base64url")}`;
  jar[stateCookieName(production)]!.set({ value, ...options(production, STATE_TTL_SECONDS) });
}

/**
 * Read and clear the attempt cookie (every callback spends it, whatever the outcome). Undefined
 * when it is missing, unsigned or tampered with, expired, or was started for another provider.
 */
export function takeAttemptCookie(
  jar: Jar,
  provider: OAuthProviderName,
  secret: string,
  production: boolean,
): OAuthAttempt | undefined {
  const cookie = jar[stateCookieName(production)]!;
  const raw = cookie.value;
  cookie.set({ value: "", ...options(production, 0) });
  if (typeof raw !== "string") return undefined;
  const [payload, signature, extra] = raw.split(".");
  if (!payload || !signature || extra !== undefined) return undefined;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as OAuthAttempt & {
    expiresAt: number;
  };
  if (body.provider !== provider || typeof body.expiresAt !== "number" || body.expiresAt < Date.now()) {
    return undefined;
  }
  return {
    provider: body.provider,
    state: body.state,
    codeVerifier: body.codeVerifier,
    next: body.next,
    ...(typeof body.linkUserId === "string" ? { linkUserId: body.linkUserId } : {}),
    ...(typeof body.gitUserId === "string" ? { gitUserId: body.gitUserId } : {}),
  };
}

/** Whether the `state` the provider sent back is the one this browser was given. */
export function stateMatches(attempt: OAuthAttempt, returned: string | undefined): boolean {
  return returned !== undefined && returned !== "" && sameSecret(returned, attempt.state);
}
