import { sessionScope, userScope } from "../../adapters/cache/memo.ts";
import type { RequestContext } from "../../common/http.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { recordUsageEvent } from "../../db/queries/analytics.ts";
import {
  getRefreshTokenByHash,
  insertRefreshToken,
  isSessionActive,
  listUserSessions,
  revokeFamily,
  revokeOtherSessions,
  revokeUserSession,
  type SessionRow,
  spendRefreshToken,
} from "../../db/queries/sessions.ts";
import {
  createUser,
  getUserByEmail,
  getUserById,
  normalizeEmail,
  touchUserLogin,
} from "../../db/queries/users.ts";
import { type AccountUser, accountUser, type User } from "../../db/schema/users.ts";
import {
  ConflictError,
  NotFoundError,
  RateLimitError,
  UnauthorizedError,
  ValidationError,
} from "../../errors.ts";
import type { Ports } from "../../ports.ts";
import { joinInvitedProjects } from "../projects/members.ts";
import { loginGuard } from "./login-guard.ts";
import { newPasswordProblem } from "./model.ts";
import { hashPassword, verifyPassword } from "./password-hash.ts";
import { ACCESS_TTL_SECONDS, hashRefreshToken, newRefreshToken, REFRESH_TTL_SECONDS } from "./tokens.ts";

export interface PublicUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
}

export interface IssuedTokens {
  token: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

type AuthDeps = Pick<Ports, "db" | "cache" | "memo" | "config" | "tokens">;

export function publicUser(user: Pick<User, "id" | "email" | "firstName" | "lastName">): PublicUser {
  return { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName };
}

// Verifying against this when the email is unknown keeps both failures equally slow.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword(crypto.randomUUID()));

/**
 * Call after revoking sessions in the database: every instance forgets what it remembered about
 * them, so their still-unexpired access tokens are refused from the next request on.
 */
async function forgetSessions(deps: AuthDeps, sessionIds: string[]): Promise<void> {
  await Promise.all(sessionIds.map((id) => deps.memo.invalidate(sessionScope(id))));
}

async function record(deps: AuthDeps, eventType: string, ctx: RequestContext, userId?: string, data = {}) {
  await recordUsageEvent(await deps.db.get(), {
    userId,
    eventType,
    data,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
}

/** Start a session (a new refresh-token family) and issue its first tokens. */
async function startSession(deps: AuthDeps, userId: string, ctx: RequestContext): Promise<IssuedTokens> {
  return issue(deps, userId, crypto.randomUUID(), ctx);
}

async function issue(deps: AuthDeps, userId: string, familyId: string, ctx: RequestContext, id?: string) {
  const refresh = newRefreshToken();
  await insertRefreshToken(await deps.db.get(), {
    ...(id ? { id } : {}),
    userId,
    familyId,
    tokenHash: refresh.hash,
    expiresAt: new Date(Date.now() + REFRESH_TTL_SECONDS * 1000),
    userAgent: ctx.userAgent?.slice(0, 400) ?? null,
    ip: ctx.ip,
  });
  const token = await deps.tokens.sign({ userId, sessionId: familyId });
  return { token, refreshToken: refresh.token, expiresIn: ACCESS_TTL_SECONDS, sessionId: familyId };
}

/** Create an account with a password; a taken email is a 409. */
export async function register(
  deps: AuthDeps,
  input: { email: string; password: string; firstName: string; lastName: string },
  ctx: RequestContext,
): Promise<{ user: PublicUser } & IssuedTokens> {
  const problem = newPasswordProblem(input.password);
  if (problem) throw new ValidationError(`password: ${problem}`, "password");
  const { points, durationSeconds } = deps.config.rateLimits.register;
  const limit = await deps.cache.limiter({ name: "register", points, durationSeconds }).consume(ctx.ip);
  if (!limit.allowed)
    throw new RateLimitError(limit.resetMs / 1000, "Too many registrations from this address");

  const passwordHash = await hashPassword(input.password);
  let user: User;
  try {
    user = await createUser(await deps.db.get(), {
      email: input.email,
      passwordHash,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("An account with this email already exists");
    throw error;
  }
  await joinInvitedProjects(deps, user);
  await record(deps, "register", ctx, user.id);
  return { user: publicUser(user), ...(await startSession(deps, user.id, ctx)) };
}

/** Sign in with email and password. Unknown email and wrong password fail identically. */
export async function login(
  deps: AuthDeps,
  input: { email: string; password: string },
  ctx: RequestContext,
): Promise<{ user: PublicUser } & IssuedTokens> {
  const db = await deps.db.get();
  const { login: pair, loginIp: ip } = deps.config.rateLimits;
  const guard = loginGuard(db, { pair, ip }, { ip: ctx.ip, email: normalizeEmail(input.email) });
  await guard.admit();
  const user = await getUserByEmail(db, input.email);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await decoy()));
  if (!user?.passwordHash || !valid) {
    await guard.fail();
    await record(deps, "login_failure", ctx, user?.id);
    throw new UnauthorizedError("Invalid email or password", "invalid_credentials");
  }
  await guard.succeed();
  await touchUserLogin(db, user.id);
  await deps.memo.invalidate(userScope(user.id));
  await record(deps, "login_success", ctx, user.id);
  return { user: publicUser(user), ...(await startSession(deps, user.id, ctx)) };
}

/** Sign in a user already authenticated elsewhere (OAuth): a new session and its tokens. */
export async function startUserSession(deps: AuthDeps, user: User, ctx: RequestContext, method: string) {
  await touchUserLogin(await deps.db.get(), user.id);
  await deps.memo.invalidate(userScope(user.id));
  await record(deps, "login_success", ctx, user.id, { method });
  return { user: publicUser(user), ...(await startSession(deps, user.id, ctx)) };
}

/**
 * Rotate a refresh token: the presented one is spent and a new one of the same family issued.
 * Presenting a spent token again revokes the whole family (it was stolen or replayed) —
 * except within `graceSeconds` of its rotation, which the cookie session allows because a
 * browser's parallel requests race to refresh; those get an access token only.
 */
export async function refresh(
  deps: AuthDeps,
  refreshToken: string,
  ctx: RequestContext,
  options: { graceSeconds?: number } = {},
): Promise<Omit<IssuedTokens, "refreshToken"> & { refreshToken: string | null }> {
  const db = await deps.db.get();
  const hash = hashRefreshToken(refreshToken);
  const row = await getRefreshTokenByHash(db, hash);
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) {
    throw new UnauthorizedError("Invalid refresh token");
  }
  const nextId = crypto.randomUUID();
  if (await spendRefreshToken(db, row.id, nextId)) {
    const next = await issue(deps, row.userId, row.familyId, ctx, nextId);
    return {
      token: next.token,
      refreshToken: next.refreshToken,
      expiresIn: next.expiresIn,
      sessionId: row.familyId,
    };
  }
  const spentAt = (await getRefreshTokenByHash(db, hash))?.lastUsedAt?.getTime() ?? 0;
  if (options.graceSeconds && Date.now() - spentAt < options.graceSeconds * 1000) {
    const token = await deps.tokens.sign({ userId: row.userId, sessionId: row.familyId });
    return { token, refreshToken: null, expiresIn: ACCESS_TTL_SECONDS, sessionId: row.familyId };
  }
  await revokeFamily(db, row.familyId);
  await forgetSessions(deps, [row.familyId]);
  await record(deps, "refresh_reuse_detected", ctx, row.userId, { sessionId: row.familyId });
  throw new UnauthorizedError("Refresh token already used; the session has been revoked");
}

/** End the session the refresh token belongs to. Unknown tokens are ignored (logout is idempotent). */
export async function logout(deps: AuthDeps, refreshToken: string, ctx: RequestContext): Promise<void> {
  const db = await deps.db.get();
  const row = await getRefreshTokenByHash(db, hashRefreshToken(refreshToken));
  if (!row) return;
  await revokeFamily(db, row.familyId);
  await forgetSessions(deps, [row.familyId]);
  await record(deps, "logout", ctx, row.userId);
}

/** End a session by id (from an access token, or the sessions page), scoped to its owner. */
export async function endSession(deps: AuthDeps, userId: string, sessionId: string): Promise<void> {
  if (!(await revokeUserSession(await deps.db.get(), userId, sessionId))) throw new NotFoundError("Session");
  await forgetSessions(deps, [sessionId]);
}

/** End every session of the user except `keep` (usually the current one). */
export async function endOtherSessions(deps: AuthDeps, userId: string, keep?: string): Promise<number> {
  const revoked = await revokeOtherSessions(await deps.db.get(), userId, keep);
  await forgetSessions(deps, revoked);
  return revoked.length;
}

export async function listSessions(deps: AuthDeps, userId: string): Promise<SessionRow[]> {
  return listUserSessions(await deps.db.get(), userId);
}

/** The signed-in user (without the password hash); a deleted account reads as signed out. */
export async function currentUser(deps: AuthDeps, userId: string): Promise<AccountUser> {
  const user = await deps.memo.read(userScope(userId), "account", async () => {
    const row = await getUserById(await deps.db.get(), userId);
    return row && accountUser(row);
  });
  if (!user) throw new UnauthorizedError("Account no longer exists");
  return user;
}

/**
 * Verify an access token and that its session is still active. The session's state comes from
 * the database (so a logout holds across restarts and on every instance) through the memo: a
 * request costs one cache read, and the database is asked once per session per memo lifetime
 * and again after each revocation, which invalidates the session's scope.
 */
export async function authenticate(
  deps: AuthDeps,
  token: string,
): Promise<{ userId: string; sessionId: string }> {
  const claims = await deps.tokens.verify(token);
  if (!(await sessionActive(deps, claims.sessionId, claims.userId)))
    throw new UnauthorizedError("Session ended");
  return claims;
}

/** Whether a session is still active (not logged out or ended), through the memo. */
export async function sessionActive(
  deps: Pick<AuthDeps, "db" | "memo">,
  sessionId: string,
  userId: string,
): Promise<boolean> {
  // An object either way, so a revoked session is remembered too and costs no query per request.
  const session = await deps.memo.read(sessionScope(sessionId), userId, async () => ({
    active: await isSessionActive(await deps.db.get(), sessionId, userId),
  }));
  return session?.active === true;
}
