import type { Logger } from "../../logger.ts";
import { MemoryCache } from "./memory.ts";
import { RedisCache } from "./redis.ts";
import type { Cache } from "./types.ts";

export type { Cache } from "./types.ts";

/**
 * Choose the cache: Redis when `redisUrl` is set (shared across instances, degrading to
 * in-process while unreachable), the in-process cache otherwise. Await `ping()` at boot to let the
 * first Redis connection finish before requests arrive; it never needs to succeed.
 */
export function createCache(
  options: { redisUrl?: string | undefined; prefix?: string },
  logger: Logger,
): Cache {
  if (!options.redisUrl) return new MemoryCache(logger);
  return new RedisCache(
    { url: options.redisUrl, ...(options.prefix ? { prefix: options.prefix } : {}) },
    logger,
  );
}
