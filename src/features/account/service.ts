/**
 * The signed-in person's own account: their name, their password, the ways they sign in, and
 * deleting it all. Both faces (JSON under /api/v1/auth, the /account page) call these.
 */

import { userScope } from "../../adapters/cache/memo.ts";
import type { RequestContext } from "../../common/http.ts";
import {
  deleteUserEvents,
  deleteUserRow,
  eraseOthersConversations,
  listMemberships,
  listOwnedProjects,
  setUserPassword,
  unlinkOauthAccount,
  updateUserName,
} from "../../db/queries/account.ts";
import { recordUsageEvent } from "../../db/queries/analytics.ts";
import { listUserOauthAccounts } from "../../db/queries/oauth-accounts.ts";
import { getUserById } from "../../db/queries/users.ts";
import { type AccountUser, accountUser } from "../../db/schema/users.ts";
import type { Deps } from "../../deps.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../errors.ts";
import { loginGuard } from "../auth/login-guard.ts";
import { newPasswordProblem } from "../auth/model.ts";
import type { OAuthProviderName } from "../auth/oauth/providers.ts";
import { hashPassword, verifyPassword } from "../auth/password-hash.ts";
import { currentUser, endOtherSessions } from "../auth/service.ts";
import { removeMember } from "../projects/members.ts";
import { deleteProject } from "../projects/service.ts";

type AccountDeps = Pick<
  Deps,
  "db" | "cache" | "memo" | "config" | "tokens" | "logger" | "context" | "collab"
>;

/** Who is asking: the user and the session their request came with. */
export interface Caller {
  userId: string;
  sessionId: string;
}

const PROVIDER_LABELS: Record<OAuthProviderName, string> = { google: "Google", github: "GitHub" };

async function record(deps: AccountDeps, userId: string, eventType: string, ctx: RequestContext, data = {}) {
  await recordUsageEvent(await deps.db.get(), {
    userId,
    eventType,
    data,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
}

/**
 * Check the user's password before a sensitive change, counted like sign-in attempts (the same
 * address + email allowance and lockouts, RATE_LIMIT_LOGIN), so a stolen session cannot be used
 * to guess the password. A wrong password is a 403 `invalid_credentials`.
 */
async function checkPassword(
  deps: AccountDeps,
  user: AccountUser,
  password: string | undefined,
  field: string,
  ctx: RequestContext,
): Promise<void> {
  if (!user.hasPassword) return;
  if (!password) throw new ValidationError(`${field}: is required (this account has a password)`, field);
  const db = await deps.db.get();
  const { login: pair, loginIp: ip } = deps.config.rateLimits;
  const guard = loginGuard(db, { pair, ip }, { ip: ctx.ip, email: user.email });
  await guard.admit();
  // The hash is read fresh: it is never part of the remembered user.
  const hash = (await getUserById(db, user.id))?.passwordHash;
  if (!hash || !(await verifyPassword(password, hash))) {
    await guard.fail();
    await record(deps, user.id, "password_check_failure", ctx);
    throw new ForbiddenError("The current password is wrong", "invalid_credentials");
  }
  await guard.succeed();
}

/** Change the user's first and/or last name; an empty value clears it. */
export async function updateProfile(
  deps: AccountDeps,
  userId: string,
  input: { firstName?: string | undefined; lastName?: string | undefined },
): Promise<AccountUser> {
  const clean = (value: string | undefined) => (value === undefined ? undefined : value.trim() || null);
  const names = { firstName: clean(input.firstName), lastName: clean(input.lastName) };
  const changes = Object.fromEntries(Object.entries(names).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0) return currentUser(deps, userId);
  const updated = await deps.memo.writing(userScope(userId), async () =>
    updateUserName(await deps.db.get(), userId, changes),
  );
  if (!updated) throw new NotFoundError("Account");
  return accountUser(updated);
}

/**
 * Change the password (the current one is required when the account has one) or set a first
 * one on an account that signs in only through Google or GitHub. Every other session of the
 * user ends; the caller's stays. Returns how many sessions ended.
 */
export async function changePassword(
  deps: AccountDeps,
  caller: Caller,
  input: { currentPassword?: string | undefined; newPassword: string },
  ctx: RequestContext,
): Promise<number> {
  const problem = newPasswordProblem(input.newPassword);
  if (problem) throw new ValidationError(`newPassword: ${problem}`, "newPassword");
  const user = await currentUser(deps, caller.userId);
  await checkPassword(deps, user, input.currentPassword, "currentPassword", ctx);
  const hash = await hashPassword(input.newPassword);
  await deps.memo.writing(userScope(user.id), async () =>
    setUserPassword(await deps.db.get(), user.id, hash),
  );
  const ended = await endOtherSessions(deps, user.id, caller.sessionId);
  await record(deps, user.id, user.hasPassword ? "password_changed" : "password_set", ctx, { ended });
  return ended;
}

/** How the user can sign in: with a password, and through which providers (with the address each gave). */
export async function signInMethods(deps: AccountDeps, userId: string) {
  const user = await currentUser(deps, userId);
  const links = await listUserOauthAccounts(await deps.db.get(), userId);
  return {
    password: user.hasPassword,
    providers: links.map((l) => ({
      provider: l.provider as OAuthProviderName,
      email: l.email,
      linkedAt: l.createdAt,
    })),
  };
}

/**
 * Remove the link to a provider. Refused (409) when it is the last way to sign in: an account
 * without a password and without another provider could never be entered again.
 */
export async function unlinkProvider(
  deps: AccountDeps,
  userId: string,
  provider: OAuthProviderName,
  ctx: RequestContext,
): Promise<void> {
  const methods = await signInMethods(deps, userId);
  if (!methods.providers.some((p) => p.provider === provider))
    throw new NotFoundError(`${PROVIDER_LABELS[provider]} link`);
  const others = methods.providers.filter((p) => p.provider !== provider).length;
  if (!methods.password && others === 0)
    throw new ConflictError(
      `${PROVIDER_LABELS[provider]} is the only way you sign in. Set a password (or link another provider) before unlinking it.`,
    );
  if (!(await unlinkOauthAccount(await deps.db.get(), userId, provider)))
    throw new NotFoundError(`${PROVIDER_LABELS[provider]} link`);
  await record(deps, userId, "oauth_unlink", ctx, { provider });
}

/** What deleting the account takes with it: the projects the user owns (and who else loses them) and the ones they leave. */
export async function deletionImpact(deps: AccountDeps, userId: string) {
  const db = await deps.db.get();
  const [owned, memberships] = await Promise.all([
    listOwnedProjects(db, userId),
    listMemberships(db, userId),
  ]);
  return { owned, memberships };
}

/**
 * Delete the account and everything it owns. Confirmed by the password when the account has
 * one, else by typing its email. In order: every session ends (so nothing new starts meanwhile);
 * each owned project is deleted as its owner would (files, history, live documents, members,
 * the code index and its vectors), after other members' conversations there are erased; the
 * user leaves others' projects; then the account row goes, and with it every row that names it
 * (links, chats, remaining memberships), and the user's product events.
 */
export async function deleteAccount(
  deps: AccountDeps,
  caller: Caller,
  confirm: { password?: string | undefined; email?: string | undefined },
  ctx: RequestContext,
): Promise<void> {
  const user = await currentUser(deps, caller.userId);
  if (user.hasPassword) await checkPassword(deps, user, confirm.password, "password", ctx);
  else if (confirm.email?.trim().toLowerCase() !== user.email)
    throw new ValidationError(
      "email: does not match this account's address; type it out to confirm",
      "email",
    );

  await endOtherSessions(deps, user.id);
  const { owned, memberships } = await deletionImpact(deps, user.id);
  const db = await deps.db.get();
  await eraseOthersConversations(
    db,
    user.id,
    owned.map((p) => p.id),
  );
  for (const project of owned) await deleteProject(deps, user.id, project.id);
  for (const membership of memberships) await removeMember(deps, user.id, membership.projectId, user.id);
  await deleteUserEvents(db, user.id);
  await deps.memo.writing(userScope(user.id), () => deleteUserRow(db, user.id));
  deps.logger.info({ userId: user.id, projects: owned.length }, "account deleted");
}
