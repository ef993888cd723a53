import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { closeDeps, createDeps } from "./deps.ts";
import { createHandlers, type Handlers } from "./handlers.ts";
import { createLogger, type Logger } from "./logger.ts";

/** The loaded application as the bootstrap serves it. */
export interface Server extends Handlers {
  logger: Logger;
  /** Close the database and Redis (after the HTTP server has drained). */
  close(): Promise<void>;
}

/** Build the logger, dependencies and app for an already-validated configuration. */
export function startServer(config: Config, url: string): Server {
  const logger = createLogger(config);
  const deps = createDeps(config, logger);
  const handlers = createHandlers(createApp(deps), deps);
  // Documents whose files may lag behind them after a crash are written once the database is up.
  void deps.db
    .get()
    .then(() => deps.collab.recover())
    .catch((err) => logger.error({ err }, "live documents: recovery failed"));
  logger.info(
    { url, database: deps.db.kind, cache: deps.cache.kind, env: config.nodeEnv },
    "Aura is listening",
  );
  return {
    logger,
    ...handlers,
    async close() {
      await closeDeps(deps);
      logger.info("stopped");
    },
  };
}
