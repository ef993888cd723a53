import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/pglite";
import type { Logger } from "../logger.ts";
import type { OpenDriver } from "./driver.ts";
import { type OpenResult, PgliteBridge } from "./pglite-bridge.ts";
import * as schema from "./schema/index.ts";
import type { Database } from "./types.ts";

/**
 * Open (creating on first run) the embedded PostgreSQL in `<dataDir>/pglite`, in a worker
 * thread so that opening and querying never stall the HTTP server.
 */
export async function openPglite(dataDir: string, logger: Logger): Promise<OpenDriver> {
  // PGlite creates its directory but not the parents.
  mkdirSync(dataDir, { recursive: true });
  const dir = join(dataDir, "pglite");
  if (!existsSync(join(dir, "PG_VERSION"))) await createCluster(dir, logger);
  const { bridge } = await openBridge(dir);
  const db = drizzle(bridge.asClient(), { schema }) as unknown as Database;
  return { db, close: () => bridge.close() };
}

/**
 * Create the cluster in a worker that is then discarded, beside its final place, and move
 * it in. The worker: making a cluster leaves garbage that the worker's heap keeps resident
 * (≈600 MB after initdb, ≈100 MB after unpacking the template) until the worker ends;
 * reopening in a new one costs ≈0.3 s, on the first start only. The move: a start
 * interrupted meanwhile leaves no half-made cluster for the next one to trip on.
 */
async function createCluster(dir: string, logger: Logger): Promise<void> {
  const started = performance.now();
  const building = `${dir}.creating`;
  rmSync(building, { recursive: true, force: true });
  const { bridge: setup, opened } = await openBridge(building);
  await setup.close();
  if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  if (existsSync(dir)) {
    // Something without PG_VERSION is no cluster PostgreSQL could open; keep it anyway.
    const aside = `${dir}.incomplete-${Date.now()}`;
    renameSync(dir, aside);
    logger.warn({ aside }, "an incomplete embedded database directory was moved aside");
  }
  renameSync(building, dir);
  if (opened.templateError)
    logger.warn(
      { error: opened.templateError },
      "the cluster template did not open; initdb made the database",
    );
  logger.info(
    { dir, from: opened.created, ms: Math.round(performance.now() - started) },
    "embedded database created",
  );
}

async function openBridge(dir: string): Promise<{ bridge: PgliteBridge; opened: OpenResult }> {
  const bridge = new PgliteBridge();
  try {
    return { bridge, opened: await bridge.open(dir) };
  } catch (err) {
    await bridge.close().catch(() => undefined);
    throw err;
  }
}
