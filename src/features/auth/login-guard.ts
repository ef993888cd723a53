import type { RateSpec } from "../../config.ts";
import {
  activeLockout,
  clearAttempts,
  countAttempt,
  pruneLoginThrottles,
  refundAttempt,
  startLockout,
} from "../../db/queries/login-throttles.ts";
import type { Database } from "../../db/types.ts";
import { RateLimitError } from "../../errors.ts";

const MAX_LOCKOUT_SECONDS = 24 * 60 * 60;
/** How long earlier lockouts count towards doubling the next one. */
const STRIKE_MEMORY_SECONDS = 24 * 60 * 60;
/** One failed sign-in in this many also deletes the rows that no longer matter. */
const PRUNE_ONE_IN = 64;

interface Rule {
  key: string;
  spec: RateSpec;
  message: string;
  /** What a successful sign-in does to the count: forget it, or only give its own attempt back. */
  onSuccess: "clear" | "refund";
}

/**
 * Sign-in attempts of one request, limited per IP + email (`pair`, RATE_LIMIT_LOGIN) and per IP
 * across all emails (`ip`, RATE_LIMIT_LOGIN_IP, against password spraying). `admit` counts the
 * attempt *before* any password is checked, so a burst of parallel attempts cannot run past a
 * limit; the attempt that uses up an allowance and fails starts a lockout of window × 2ⁿ (n =
 * lockouts of that key in the past day, at most a day). While either key is locked out no
 * password is checked at all. A success clears the IP + email count but only gives its own
 * attempt back to the IP's, so a sprayer's own account cannot reset the address. Counts live in
 * the database, so lockouts survive a restart and hold on every instance.
 */
export function loginGuard(
  db: Database,
  limits: { pair: RateSpec; ip: RateSpec },
  who: { ip: string; email: string },
) {
  const rules: Rule[] = [
    {
      key: `ip+email:${who.ip}:${who.email}`,
      spec: limits.pair,
      onSuccess: "clear",
      message: "Too many failed sign-in attempts; try again later",
    },
    {
      key: `ip:${who.ip}`,
      spec: limits.ip,
      onSuccess: "refund",
      message: "Too many failed sign-in attempts from this address; try again later",
    },
  ];
  const counts = new Map<Rule, number>();
  const lock = (rule: Rule, now: Date) =>
    startLockout(
      db,
      rule.key,
      {
        baseSeconds: rule.spec.durationSeconds,
        maxSeconds: MAX_LOCKOUT_SECONDS,
        strikeMemorySeconds: STRIKE_MEMORY_SECONDS,
      },
      now,
    );
  const refuseIfLocked = async (now: Date) => {
    const locked = await activeLockout(
      db,
      rules.map((r) => r.key),
      now,
    );
    if (!locked) return;
    const message = rules.find((r) => r.key === locked.key)!.message;
    throw new RateLimitError((locked.until.getTime() - now.getTime()) / 1000, message);
  };

  return {
    /** Count this attempt; throws RateLimitError while locked out or when it is over an allowance. */
    async admit(): Promise<void> {
      const now = new Date();
      await refuseIfLocked(now);
      for (const rule of rules)
        counts.set(rule, await countAttempt(db, rule.key, rule.spec.durationSeconds, now));
      const over = rules.filter((rule) => counts.get(rule)! > rule.spec.points);
      if (over.length === 0) return;
      for (const rule of over) await lock(rule, now);
      await refuseIfLocked(now);
    },
    /** The password was wrong: an attempt that used up its allowance starts a lockout. */
    async fail(): Promise<void> {
      const now = new Date();
      for (const rule of rules) if ((counts.get(rule) ?? 0) >= rule.spec.points) await lock(rule, now);
      if (Math.random() < 1 / PRUNE_ONE_IN) await pruneLoginThrottles(db, now);
    },
    async succeed(): Promise<void> {
      for (const rule of rules)
        await (rule.onSuccess === "clear" ? clearAttempts(db, rule.key) : refundAttempt(db, rule.key));
    },
  };
}
