import type { SQL } from "drizzle-orm";
import type { Database } from "./types.ts";

/**
 * Run raw SQL and return its rows on either driver: postgres.js answers an array,
 * PGlite an object with `rows`. Prefer the query builder; use this for what it cannot say.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
