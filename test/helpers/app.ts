import { rmSync } from "node:fs";
import { createCache } from "../../src/adapters/cache/index.ts";
import { createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { openDatabase } from "../../src/db/client.ts";
import { closeDeps, createDeps, type Deps } from "../../src/deps.ts";
import { createTestPostgresDatabase, freshPgliteDataDir } from "./db.ts";
import { captureLogger, type LogLine } from "./logs.ts";
import { deleteKeys, randomPrefix } from "./redis.ts";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  logs: LogLine[];
  /** Send a request through the app without a server. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Another instance of the app over the same database and cache (only when both are servers). */
  secondInstance(): TestApp;
  /**
   * Stop this instance and start a new one on the same stores, as a process restart does:
   * everything held in memory (the in-process cache, memos) is gone; the database (and Redis,
   * when configured) keep their data. Use the returned app from then on; its close() cleans up.
   */
  restart(): Promise<TestApp>;
  close(): Promise<void>;
}

/**
 * The whole app on real stores: embedded ones by default; a fresh PostgreSQL database and a
 * private Redis key prefix when DATABASE_URL / REDIS_URL are set (as CI sets them).
 */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = await freshPgliteDataDir();
  const serverUrl = process.env.DATABASE_URL;
  const postgres = serverUrl ? await createTestPostgresDatabase(serverUrl) : undefined;
  const redisUrl = process.env.REDIS_URL;
  const prefix = randomPrefix();
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...env,
  });
  return startTestApp(config, {
    prefix,
    hasServers: Boolean(postgres && redisUrl),
    async cleanup() {
      if (redisUrl) await deleteKeys(redisUrl, prefix);
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** One instance of the app on the stores `config` names; `cleanup` removes them after the last instance. */
async function startTestApp(
  config: Config,
  stores: { prefix: string; hasServers: boolean; cleanup(): Promise<void> },
): Promise<TestApp> {
  const { logger, lines } = captureLogger("info");
  const deps = createDeps(config, logger, {
    db: openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, logger),
    cache: createCache({ redisUrl: config.redisUrl, prefix: stores.prefix }, logger),
  });
  const app = createApp(deps);
  await deps.db.get(60_000);
  return {
    app,
    deps,
    logs: lines,
    request: (path, init) => app.handle(new Request(`http://localhost${path}`, init)),
    secondInstance() {
      if (!stores.hasServers || !config.redisUrl)
        throw new Error("a second instance needs DATABASE_URL and REDIS_URL");
      const other = captureLogger("info");
      const otherDeps = createDeps(config, other.logger, {
        cache: createCache({ redisUrl: config.redisUrl, prefix: stores.prefix }, other.logger),
      });
      const otherApp = createApp(otherDeps);
      return {
        app: otherApp,
        deps: otherDeps,
        logs: other.lines,
        request: (path, init) => otherApp.handle(new Request(`http://localhost${path}`, init)),
        secondInstance: () => {
          throw new Error("ask the first instance");
        },
        restart: () => {
          throw new Error("restart the first instance");
        },
        close: () => closeDeps(otherDeps),
      };
    },
    async restart() {
      await closeDeps(deps);
      return startTestApp(config, stores);
    },
    async close() {
      await closeDeps(deps);
      await stores.cleanup();
    },
  };
}
