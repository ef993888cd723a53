import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { closeDeps, createDeps } from "./deps.ts";
import { createLogger } from "./logger.ts";
import { MAX_BODY_LIMIT } from "./plugins/body-limit.ts";

/** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
const DRAIN_MS = 10_000;

function boot() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Aura cannot start: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(config);
  const deps = createDeps(config, logger);
  const app = createApp(deps).listen({ port: config.port, maxRequestBodySize: MAX_BODY_LIMIT + 64 * 1024 });
  const server = app.server!;
  logger.info(
    { url: server.url.href, database: deps.db.kind, cache: deps.cache.kind, env: config.nodeEnv },
    "Aura is listening",
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new connections, draining");
    const drained = server.stop(false);
    const timeout = new Promise<"timeout">((resolve) => setTimeout(resolve, DRAIN_MS, "timeout").unref());
    if ((await Promise.race([drained, timeout])) === "timeout") {
      logger.warn("drain timed out; closing remaining connections");
      await server.stop(true);
    }
    await closeDeps(deps);
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

boot();
