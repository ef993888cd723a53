import { and, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { loginThrottles } from "../schema/login-throttles.ts";
import type { Database } from "../types.ts";

/** Timestamps are passed as text with a cast: raw SQL parameters are not mapped by column. */
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** The latest lockout among `keys` still running at `now`, with its key; undefined when none is. */
export async function activeLockout(
  db: Database,
  keys: string[],
  now: Date,
): Promise<{ key: string; until: Date } | undefined> {
  const [row] = await db
    .select({ key: loginThrottles.key, until: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(and(inArray(loginThrottles.key, keys), gt(loginThrottles.lockedUntil, now)))
    .orderBy(desc(loginThrottles.lockedUntil))
    .limit(1);
  return row?.until ? { key: row.key, until: row.until } : undefined;
}

/**
 * Count one attempt against `key` in its fixed window (a window that has ended starts over
 * at this attempt) and return the count. Atomic, so concurrent attempts each get their own number.
 */
export async function countAttempt(db: Database, key: string, windowSeconds: number, now: Date) {
  const windowEnd = new Date(now.getTime() + windowSeconds * 1000);
  const t = loginThrottles;
  const [row] = await db
    .insert(t)
    .values({ key, failures: 1, windowEndsAt: windowEnd, expiresAt: windowEnd })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        failures: sql`case when ${t.windowEndsAt} <= ${at(now)} then 1 else ${t.failures} + 1 end`,
        windowEndsAt: sql`case when ${t.windowEndsAt} <= ${at(now)} then ${at(windowEnd)} else ${t.windowEndsAt} end`,
        expiresAt: sql`greatest(${t.expiresAt}, ${at(windowEnd)})`,
      },
    })
    .returning({ count: t.failures });
  return row!.count;
}

/** Give back one attempt (it succeeded), never going below zero. */
export async function refundAttempt(db: Database, key: string): Promise<void> {
  await db
    .update(loginThrottles)
    .set({ failures: sql`greatest(${loginThrottles.failures} - 1, 0)` })
    .where(eq(loginThrottles.key, key));
}

/** Forget the attempts of the current window (the lockout history stays). */
export async function clearAttempts(db: Database, key: string): Promise<void> {
  await db.update(loginThrottles).set({ failures: 0 }).where(eq(loginThrottles.key, key));
}

/**
 * Lock `key` out unless it already is: for `baseSeconds × 2^(strikes)`, at most `maxSeconds`,
 * where strikes are the lockouts it earned within the last `strikeMemorySeconds`. Concurrent
 * calls start one lockout between them (the rest see it running). The attempt count is left
 * alone: attempts already past the lock check must still see themselves over the limit, and a
 * lockout (at least `baseSeconds`, the window) outlasts the window it was earned in anyway.
 */
export async function startLockout(
  db: Database,
  key: string,
  rule: { baseSeconds: number; maxSeconds: number; strikeMemorySeconds: number },
  now: Date,
): Promise<void> {
  const t = loginThrottles;
  const fresh = sql`(${t.strikesResetAt} is null or ${t.strikesResetAt} <= ${at(now)})`;
  const earlier = sql`(case when ${fresh} then 0 else ${t.strikes} end)`;
  const seconds = sql`least(${rule.baseSeconds}::float8 * power(2, ${earlier}), ${rule.maxSeconds}::float8)`;
  const strikesReset = new Date(now.getTime() + rule.strikeMemorySeconds * 1000);
  await db
    .update(t)
    .set({
      strikes: sql`${earlier} + 1`,
      strikesResetAt: sql`case when ${fresh} then ${at(strikesReset)} else ${t.strikesResetAt} end`,
      lockedUntil: sql`${at(now)} + ${seconds} * interval '1 second'`,
      expiresAt: sql`greatest(${t.expiresAt}, ${at(now)} + ${seconds} * interval '1 second', ${at(strikesReset)})`,
    })
    .where(and(eq(t.key, key), sql`(${t.lockedUntil} is null or ${t.lockedUntil} <= ${at(now)})`));
}

/** Delete the rows that no longer matter. */
export async function pruneLoginThrottles(db: Database, now: Date): Promise<void> {
  await db.delete(loginThrottles).where(lte(loginThrottles.expiresAt, now));
}
