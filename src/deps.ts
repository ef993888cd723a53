import { createCache } from "./adapters/cache/index.ts";
import type { Cache } from "./adapters/cache/types.ts";
import type { Config } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import type { DatabaseHandle } from "./db/types.ts";
import { type AccessTokens, createAccessTokens } from "./features/auth/tokens.ts";
import type { Logger } from "./logger.ts";

/** Everything a service may use. Built once at boot; the only place implementations are chosen. */
export interface Deps {
  config: Config;
  logger: Logger;
  db: DatabaseHandle;
  cache: Cache;
  /** Signs and verifies access tokens with the configured secret. */
  tokens: AccessTokens;
  startedAt: number;
  /** Test-only replacement OAuth provider endpoints (a local stand-in); never read from the environment. */
  oauthEndpoints?: Partial<
    Record<"google" | "github", { authorize: string; token: string; userinfo: string; emails?: string }>
  >;
}

/** Build the dependencies the configuration asks for; tests may pass some of their own. */
export function createDeps(
  config: Config,
  logger: Logger,
  given: Partial<Pick<Deps, "db" | "cache">> = {},
): Deps {
  return {
    config,
    logger,
    db: given.db ?? openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger),
    cache: given.cache ?? createCache({ redisUrl: config.redisUrl }, logger),
    tokens: createAccessTokens(config.jwtSecret),
    startedAt: Date.now(),
  };
}

/** Close pools and connections; each is closed even if another fails. */
export async function closeDeps(deps: Deps): Promise<void> {
  const results = await Promise.allSettled([deps.db.close(), deps.cache.close()]);
  for (const r of results)
    if (r.status === "rejected") deps.logger.warn({ err: r.reason }, "closing a dependency failed");
}
