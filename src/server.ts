import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { closeDeps, createDeps } from "./deps.ts";
import { createLogger, type Logger } from "./logger.ts";

/** The loaded application as the bootstrap serves it. */
export interface Server {
  logger: Logger;
  fetch(request: Request): Promise<Response>;
  /** Close the database and Redis (after the HTTP server has drained). */
  close(): Promise<void>;
}

/** Build the logger, dependencies and app for an already-validated configuration. */
export function startServer(config: Config, url: string): Server {
  const logger = createLogger(config);
  const deps = createDeps(config, logger);
  const app = createApp(deps);
  logger.info(
    { url, database: deps.db.kind, cache: deps.cache.kind, env: config.nodeEnv },
    "Aura is listening",
  );
  return {
    logger,
    fetch: (request) => app.handle(request),
    async close() {
      await closeDeps(deps);
      logger.info("stopped");
    },
  };
}
