import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Logger } from "../logger.ts";
import type { OpenDriver } from "./driver.ts";
import * as schema from "./schema/index.ts";
import type { Database } from "./types.ts";

/**
 * Connect a postgres.js pool and prove it with one round trip; throws (pool closed)
 * when the server is unreachable so the caller can retry.
 */
export async function openPostgres(url: string, logger: Logger): Promise<OpenDriver> {
  const client = postgres(url, {
    max: 20,
    connect_timeout: 2,
    // "relation already exists, skipping" and the like: not worth stdout.
    onnotice: (notice) => logger.debug({ notice: notice.message }, "postgres notice"),
  });
  try {
    await client`select 1`;
  } catch (err) {
    await client.end({ timeout: 0 });
    throw err;
  }
  const db = drizzle(client, { schema }) as unknown as Database;
  return { db, close: () => client.end({ timeout: 5 }) };
}
