import type { Deps } from "../deps.ts";
import { RateLimitError } from "../errors.ts";

/** Which per-user allowance a request draws from: general API calls, or editor traffic (saves, completions, runs, pages). */
export type Allowance = "api" | "editor";

/**
 * Per-user allowances (RATE_LIMIT_API, RATE_LIMIT_EDITOR), shared across instances through the
 * cache. `charge` counts one request, sets the RateLimit-* headers and throws 429 when spent.
 */
export function createAllowances(deps: Pick<Deps, "cache" | "config">) {
  const limiters = {
    api: deps.cache.limiter({ name: "api", ...deps.config.rateLimits.api }),
    editor: deps.cache.limiter({ name: "editor", ...deps.config.rateLimits.editor }),
  };
  return {
    async charge(
      allowance: Allowance,
      userId: string,
      set: { headers: Record<string, unknown> },
    ): Promise<void> {
      const result = await limiters[allowance].consume(userId);
      set.headers["ratelimit-limit"] = String(result.limit);
      set.headers["ratelimit-remaining"] = String(result.remaining);
      set.headers["ratelimit-reset"] = String(Math.ceil(result.resetMs / 1000));
      if (!result.allowed) throw new RateLimitError(result.resetMs / 1000, "Rate limit reached; slow down");
    },
  };
}
