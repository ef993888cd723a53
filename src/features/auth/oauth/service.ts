import type { RequestContext } from "../../../common/http.ts";
import { isUniqueViolation } from "../../../db/errors.ts";
import { recordUsageEvent } from "../../../db/queries/analytics.ts";
import {
  getOauthAccount,
  linkOauthAccount,
  listUserOauthAccounts,
} from "../../../db/queries/oauth-accounts.ts";
import { createUser, getUserByEmail, getUserById } from "../../../db/queries/users.ts";
import type { User } from "../../../db/schema/users.ts";
import type { Database } from "../../../db/types.ts";
import type { Deps } from "../../../deps.ts";
import { joinInvitedProjects } from "../../projects/members.ts";
import { startUserSession } from "../service.ts";
import { OAuthFlowError } from "./errors.ts";
import type { OAuthProfile } from "./profile.ts";
import type { OAuthProviderName } from "./providers.ts";

type OAuthDeps = Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens">;

// A concurrent first sign-in may create the same email between our lookup and insert.
async function findOrCreateUser(db: Database, email: string, profile: OAuthProfile) {
  const existing = await getUserByEmail(db, email);
  if (existing) return { user: existing, created: false };
  try {
    const user = await createUser(db, {
      email,
      passwordHash: null,
      firstName: profile.firstName?.slice(0, 100) ?? null,
      lastName: profile.lastName?.slice(0, 100) ?? null,
    });
    return { user, created: true };
  } catch (error) {
    const raced = isUniqueViolation(error) ? await getUserByEmail(db, email) : undefined;
    if (!raced) throw error;
    return { user: raced, created: false };
  }
}

/**
 * Resolve a provider identity to an account: the linked user if there is one; else, only for a
 * verified email, the user with that email (linked now) or a new password-less user. An
 * unverified or missing email never reaches an account (OAuthFlowError `oauth_unverified_email`).
 */
async function resolveOAuthUser(
  deps: OAuthDeps,
  provider: OAuthProviderName,
  profile: OAuthProfile,
  ctx: RequestContext,
): Promise<User> {
  const db = await deps.db.get();
  const linked = await getOauthAccount(db, provider, profile.accountId);
  const linkedUser = linked && (await getUserById(db, linked.userId));
  if (linkedUser) return linkedUser;

  if (!profile.email || !profile.emailVerified) throw new OAuthFlowError("oauth_unverified_email");
  const { user, created } = await findOrCreateUser(db, profile.email, profile);
  if (created) await joinInvitedProjects(deps, user);
  const link = await linkOauthAccount(db, {
    userId: user.id,
    provider,
    providerAccountId: profile.accountId,
    email: profile.email,
  });
  // Lost a race to link the same identity: the winner's account is the one it belongs to.
  if (link.userId !== user.id) return (await getUserById(db, link.userId)) ?? user;

  const event = { ip: ctx.ip, userAgent: ctx.userAgent };
  if (created) {
    await recordUsageEvent(db, {
      ...event,
      userId: user.id,
      eventType: "register",
      data: { method: provider },
    });
  }
  await recordUsageEvent(db, {
    ...event,
    userId: user.id,
    eventType: "oauth_link",
    data: { provider, created },
  });
  return user;
}

/** Sign in with a provider identity: resolve (or link, or create) the account and start a session. */
export async function signInWithOAuth(
  deps: OAuthDeps,
  provider: OAuthProviderName,
  profile: OAuthProfile,
  ctx: RequestContext,
) {
  const user = await resolveOAuthUser(deps, provider, profile, ctx);
  return startUserSession(deps, user, ctx, `oauth:${provider}`);
}

/**
 * Link a provider identity to the signed-in user (the account page's "Link"). The email need
 * not be verified: the user proved both sides. Refused with an OAuthFlowError when the identity
 * already belongs to another account (`oauth_link_taken`, also when a concurrent link won) or
 * the user already has another identity of this provider (`oauth_link_other`). Linking the same
 * identity again is a no-op.
 */
export async function linkOAuthIdentity(
  deps: OAuthDeps,
  userId: string,
  provider: OAuthProviderName,
  profile: OAuthProfile,
  ctx: RequestContext,
): Promise<void> {
  const db = await deps.db.get();
  const existing = await getOauthAccount(db, provider, profile.accountId);
  if (existing) {
    if (existing.userId !== userId) throw new OAuthFlowError("oauth_link_taken");
    return;
  }
  if ((await listUserOauthAccounts(db, userId)).some((link) => link.provider === provider))
    throw new OAuthFlowError("oauth_link_other");
  const link = await linkOauthAccount(db, {
    userId,
    provider,
    providerAccountId: profile.accountId,
    email: profile.email,
  });
  if (link.userId !== userId) throw new OAuthFlowError("oauth_link_taken");
  await recordUsageEvent(db, {
    userId,
    eventType: "oauth_link",
    data: { provider, created: false, from: "account" },
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
}
