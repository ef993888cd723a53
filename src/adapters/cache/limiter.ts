import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import type { LimiterOptions, LimitResult, RateLimiter } from "./types.ts";

/** Key under which a cache memoizes limiters, so repeated `limiter()` calls share one set of counters. */
export function limiterId(options: LimiterOptions): string {
  return `${options.name}|${options.points}|${options.durationSeconds}|${options.blockSeconds ?? 0}`;
}

/** Options shared by the memory and Redis limiters of rate-limiter-flexible. */
export function limiterSettings(options: LimiterOptions, keyPrefix: string) {
  return {
    keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
    blockDuration: options.blockSeconds ?? 0,
  };
}

/**
 * Adapt a rate-limiter-flexible limiter to the port. A rejection carrying a RateLimiterRes is a
 * denial; any other rejection is a real error and propagates.
 */
export function wrapLimiter(limiter: RateLimiterAbstract, points: number): RateLimiter {
  const toResult = (res: RateLimiterRes, allowed: boolean): LimitResult => ({
    allowed,
    limit: points,
    remaining: allowed ? res.remainingPoints : 0,
    resetMs: Math.max(0, res.msBeforeNext),
  });

  return {
    async consume(key, amount = 1) {
      try {
        return toResult(await limiter.consume(key, amount), true);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return toResult(rejection, false);
        throw rejection;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (res === null) return { allowed: true, limit: points, remaining: points, resetMs: 0 };
      // "allowed" for a peek means the next single point would be granted.
      return toResult(res, res.remainingPoints > 0);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
