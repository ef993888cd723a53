import { mkdirSync } from "node:fs";
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
  const bridge = new PgliteBridge();
  try {
    await bridge.open(join(dataDir, "pglite"));
  } catch (err) {
    await bridge.close().catch(() => undefined);
    throw err;
  }
  const db = drizzle(bridge.asClient(), { schema }) as unknown as Database;
  return { db, close: () => bridge.close() };
}
