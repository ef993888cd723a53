import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

/** The drizzle database, the same type for PGlite and postgres.js. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseStatus {
  kind: "pglite" | "postgres";
  ready: boolean;
  /** Why it is not ready (credentials redacted), when it is not. */
  error?: string;
}

/**
 * An opening database. HTTP can serve before it is open: `get()` waits for it (up to
 * `waitMs`, then throws UnavailableError), `status()` answers at once for /readyz.
 */
export interface DatabaseHandle {
  readonly kind: "pglite" | "postgres";
  get(waitMs?: number): Promise<Database>;
  status(): DatabaseStatus;
  /** A round trip (`select 1`); throws when unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One drizzle-kit migration as embedded by scripts/db-embed-migrations.ts. */
export interface EmbeddedMigration {
  tag: string;
  /** The journal's `when`: drizzle orders and de-duplicates migrations by it. */
  when: number;
  breakpoints: boolean;
  sql: string;
}
