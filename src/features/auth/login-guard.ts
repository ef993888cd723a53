import type { Cache } from "../../adapters/cache/types.ts";
import type { RateSpec } from "../../config.ts";
import { RateLimitError } from "../../errors.ts";

const MAX_LOCKOUT_SECONDS = 24 * 60 * 60;

/**
 * Failed sign-ins per IP+email: `spec.points` failures within the window lock the key out;
 * each further lockout within a day lasts twice as long (window × 2ⁿ, at most a day).
 * While locked out no password is checked at all.
 */
export function createLoginGuard(cache: Cache, spec: RateSpec) {
  const failures = cache.limiter({
    name: "login-failures",
    points: spec.points,
    durationSeconds: spec.durationSeconds,
  });
  const lockKey = (key: string) => `login:lock:${key}`;
  return {
    /** Throws RateLimitError while `key` is locked out. */
    async check(key: string): Promise<void> {
      const until = Number(await cache.get(lockKey(key)));
      if (until > Date.now()) {
        throw new RateLimitError(
          (until - Date.now()) / 1000,
          "Too many failed sign-in attempts; try again later",
        );
      }
    },
    /** Count a failure; the one that exhausts the allowance starts a lockout. */
    async fail(key: string): Promise<void> {
      const result = await failures.consume(key);
      if (result.remaining > 0 && result.allowed) return;
      const strikes = await cache.incr(`login:strikes:${key}`, MAX_LOCKOUT_SECONDS);
      const seconds = Math.min(spec.durationSeconds * 2 ** (strikes - 1), MAX_LOCKOUT_SECONDS);
      await cache.set(lockKey(key), String(Date.now() + seconds * 1000), seconds);
      await failures.reset(key);
    },
    /** A successful sign-in clears the failures (a lockout history stays for a day). */
    async succeed(key: string): Promise<void> {
      await failures.reset(key);
    },
  };
}
