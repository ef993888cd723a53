import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/pglite";
import type { OpenDriver } from "./driver.ts";
import { PgliteBridge } from "./pglite-bridge.ts";
import * as schema from "./schema/index.ts";
import type { Database } from "./types.ts";

/**
 * Open (creating on first run) the embedded PostgreSQL in `<dataDir>/pglite`, in a worker
 * thread so that opening and querying never stall the HTTP server.
 */
export async function openPglite(dataDir: string): Promise<OpenDriver> {
  // PGlite creates its directory but not the parents.
  mkdirSync(dataDir, { recursive: true });
  const dir = join(dataDir, "pglite");
  if (!existsSync(join(dir, "PG_VERSION"))) await createCluster(dir);
  const bridge = await openBridge(dir);
  const db = drizzle(bridge.asClient(), { schema }) as unknown as Database;
  return { db, close: () => bridge.close() };
}

/**
 * Create the cluster (initdb) in a worker that is then discarded. Creating it grows
 * PostgreSQL's WASM memory to ≈900 MB, and a WASM memory never shrinks: a server that
 * created its database kept ≈600 MB resident until it was restarted, against ≈200 MB
 * after. Ending the worker returns that memory; reopening costs ≈0.5 s, on the first
 * start only.
 */
async function createCluster(dir: string): Promise<void> {
  const setup = await openBridge(dir);
  await setup.close();
}

async function openBridge(dir: string): Promise<PgliteBridge> {
  const bridge = new PgliteBridge();
  try {
    await bridge.open(dir);
  } catch (err) {
    await bridge.close().catch(() => undefined);
    throw err;
  }
  return bridge;
}
