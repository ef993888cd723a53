import { Elysia } from "elysia";
import type { Deps } from "../deps.ts";
import { RateLimitError, UnauthorizedError } from "../errors.ts";
import { authenticate } from "../features/auth/service.ts";

/** Which per-user allowance a route draws from: general API calls, or editor traffic (saves, completions, runs). */
export type Allowance = "api" | "editor";

/** The caller of an authenticated JSON route. */
export interface Principal {
  userId: string;
  sessionId: string;
}

/**
 * The JSON face's guard: `{ auth: true }` (or `"editor"`) on a route requires a valid Bearer
 * access token whose session is still active, resolves `principal`, and counts the call
 * against the user's allowance, answering with RateLimit-* headers and 429 when spent.
 */
export function authPlugin(deps: Pick<Deps, "db" | "cache" | "config" | "tokens">) {
  const limiters = {
    api: deps.cache.limiter({ name: "api", ...spec(deps.config.rateLimits.api) }),
    editor: deps.cache.limiter({ name: "editor", ...spec(deps.config.rateLimits.editor) }),
  };
  return new Elysia({ name: "auth" }).macro({
    auth: (allowance: true | Allowance) => ({
      async resolve({ request, set }) {
        const header = request.headers.get("authorization") ?? "";
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthorizedError("Bearer access token required");
        const principal: Principal = await authenticate(deps, match[1]!);

        const result = await limiters[allowance === true ? "api" : allowance].consume(principal.userId);
        const reset = String(Math.ceil(result.resetMs / 1000));
        set.headers["ratelimit-limit"] = String(result.limit);
        set.headers["ratelimit-remaining"] = String(result.remaining);
        set.headers["ratelimit-reset"] = reset;
        if (!result.allowed) throw new RateLimitError(result.resetMs / 1000, "Rate limit reached; slow down");
        return { principal };
      },
    }),
  });
}

function spec(rate: { points: number; durationSeconds: number }) {
  return { points: rate.points, durationSeconds: rate.durationSeconds };
}
