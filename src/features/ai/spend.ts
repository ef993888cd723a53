import { spentSince } from "../../db/queries/ai.ts";
import type { Ports } from "../../ports.ts";
import { sharedRun } from "../../shared-run.ts";

/** The counter's unit: a ten-thousandth of a US cent (costs are fractions of a cent; counters are integers). */
const UNIT = 10_000;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

function midnightUtc(at: Date): Date {
  const midnight = new Date(at);
  midnight.setUTCHours(0, 0, 0, 0);
  return midnight;
}

/**
 * What each user's AI calls have cost today (UTC), for the daily budget.
 *
 * `ai_interactions` is the record; summing it before every call costs a query that grows with
 * the day's calls (a completion per typing pause adds up). So the day's total is kept as a
 * counter in the cache port — shared by every instance — seeded from the sum the first time
 * it is needed and raised after each charged call's row is written. A counter that is not
 * there (first call of the day, a cache that restarted or evicted it, an unreachable Redis) is
 * simply summed again, so the database stays the source of truth. A call is added only to a
 * counter that exists: one that finishes in the instant between another instance's sum and
 * its storing the counter goes uncounted until the counter next expires — the budget is a
 * spending guard, not an invoice.
 */
export function createSpendLedger(deps: Pick<Ports, "db" | "cache">) {
  const keyOf = (userId: string, day: string) => `ai:spent:${day}:${userId}`;
  // Kept an hour past midnight, then gone: tomorrow's key is a different one anyway.
  const ttlSeconds = (now: Date) =>
    Math.ceil((midnightUtc(now).getTime() + 25 * 3_600_000 - now.getTime()) / 1000);
  /** Sums in flight, by counter key. */
  const seeding = new Map<string, Promise<number>>();

  return {
    /** US cents spent today by the user, and when today ends (the budget's renewal). */
    async today(userId: string): Promise<{ cents: number; renewsAt: Date }> {
      const now = new Date();
      const midnight = midnightUtc(now);
      const renewsAt = new Date(midnight.getTime() + 86_400_000);
      const key = keyOf(userId, dayOf(now));
      const kept = await deps.cache.get(key);
      if (kept !== null) return { cents: Number(kept) / UNIT, renewsAt };
      // Calls that find no counter at once (a user's burst of requests) share one sum.
      const summing = sharedRun(seeding, key, async () => {
        const cents = await spentSince(await deps.db.get(), userId, midnight);
        await deps.cache.set(key, String(Math.round(cents * UNIT)), ttlSeconds(now));
        return cents;
      });
      return { cents: await summing, renewsAt };
    },

    /** Count a charged call, after its `ai_interactions` row is written. */
    async add(userId: string, cents: number): Promise<void> {
      if (!(cents > 0)) return;
      const now = new Date();
      const key = keyOf(userId, dayOf(now));
      // No counter: the next check sums the rows, this one's included.
      if ((await deps.cache.get(key)) === null) return;
      await deps.cache.incr(key, ttlSeconds(now), Math.round(cents * UNIT));
    },
  };
}
