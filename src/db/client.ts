import { sql } from "drizzle-orm";
import { UnavailableError } from "../errors.ts";
import { type Logger, redactUrls } from "../logger.ts";
import type { OpenDriver } from "./driver.ts";
import { describeDbError } from "./errors.ts";
import { migrate } from "./migrate.ts";
import type { Database, DatabaseHandle, DatabaseStatus } from "./types.ts";

export interface OpenDatabaseOptions {
  /** A postgres:// URL; unset means embedded PGlite in `<dataDir>/pglite`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Retry delays (ms); the defaults suit production, tests shorten them. */
  retry?: { initialMs: number; maxMs: number };
}

const DEFAULT_WAIT_MS = 5_000;

/**
 * Start opening and migrating the configured database in the background and return at
 * once, so HTTP can serve (and /readyz can answer) while it opens. An unreachable server
 * is retried with exponential backoff until `close()`; boot never crashes on it.
 */
export function openDatabase(options: OpenDatabaseOptions, logger: Logger): DatabaseHandle {
  const kind = options.databaseUrl ? "postgres" : "pglite";
  const target = options.databaseUrl ? redactUrls(options.databaseUrl) : `${options.dataDir}/pglite`;
  const retry = options.retry ?? { initialMs: 250, maxMs: 10_000 };
  let driver: OpenDriver | undefined;
  let lastError: string | undefined;
  let closed = false;
  let cancelSleep: (() => void) | undefined;
  let markReady: (db: Database | undefined) => void = () => {};
  const ready = new Promise<Database | undefined>((resolve) => {
    markReady = resolve;
  });

  const openOnce = async (): Promise<OpenDriver> => {
    // Only the configured driver is loaded: each costs memory the other mode never uses.
    const opened = options.databaseUrl
      ? await (await import("./postgres.ts")).openPostgres(options.databaseUrl, logger)
      : await (await import("./pglite.ts")).openPglite(options.dataDir, logger);
    try {
      const applied = await migrate(opened.db);
      if (applied > 0) logger.info({ kind, applied }, "database migrations applied");
      return opened;
    } catch (err) {
      await opened.close();
      throw err;
    }
  };

  const run = async () => {
    const started = performance.now();
    let delay = retry.initialMs;
    for (let attempt = 1; !closed; attempt++) {
      try {
        const opened = await openOnce();
        if (closed) {
          await opened.close();
          break;
        }
        driver = opened;
        lastError = undefined;
        logger.info({ kind, target, ms: Math.round(performance.now() - started) }, "database ready");
        markReady(opened.db);
        return;
      } catch (err) {
        lastError = redactUrls(describeDbError(err));
        logger.warn(
          `database ${kind} at ${target} unavailable (attempt ${attempt}, retrying in ${delay} ms): ${lastError}`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          cancelSleep = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(delay * 2, retry.maxMs);
      }
    }
    markReady(undefined);
  };
  // run() handles its own failures; this catch only guards against a failing close().
  const running = run().catch((err: unknown) => logger.error({ err }, "database open loop failed"));

  const unavailable = () =>
    new UnavailableError(`Database unavailable: ${closed ? "closed" : (lastError ?? "still opening")}`);

  return {
    kind,
    async get(waitMs = DEFAULT_WAIT_MS) {
      if (driver) return driver.db;
      if (closed) throw unavailable();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), waitMs);
      });
      const db = await Promise.race([ready, timeout]);
      clearTimeout(timer);
      if (!db) throw unavailable();
      return db;
    },
    status(): DatabaseStatus {
      if (driver) return { kind, ready: true };
      return { kind, ready: false, error: closed ? "closed" : (lastError ?? "still opening") };
    },
    async ping() {
      if (!driver) throw unavailable();
      try {
        await driver.db.execute(sql`select 1`);
      } catch (err) {
        throw new UnavailableError(`Database unavailable: ${redactUrls(describeDbError(err))}`, err);
      }
    },
    async close() {
      closed = true;
      cancelSleep?.();
      await running;
      const open = driver;
      driver = undefined;
      await open?.close();
    },
  };
}
