import { createHash } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import { bigint, pgSchema, serial, text } from "drizzle-orm/pg-core";
import { embeddedMigrations } from "./migrations.gen.ts";
import type { Database, EmbeddedMigration } from "./types.ts";

// drizzle's own bookkeeping table, so `drizzle-kit migrate` and this migrator agree.
const drizzleSchema = pgSchema("drizzle");
const appliedMigrations = drizzleSchema.table("__drizzle_migrations", {
  id: serial("id").primaryKey(),
  hash: text("hash").notNull(),
  createdAt: bigint("created_at", { mode: "number" }),
});

// Any constant works; it only has to be the same for every instance of this app.
const MIGRATION_LOCK_KEY = 4_207_311_990;

/**
 * Apply the embedded migrations not yet recorded, in one transaction. A transaction-scoped
 * advisory lock serializes instances booting together against one PostgreSQL.
 * Returns how many migrations were applied (0 when up to date).
 */
export async function migrate(
  db: Database,
  migrations: readonly EmbeddedMigration[] = embeddedMigrations,
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`));
    await tx.execute(sql`create schema if not exists drizzle`);
    await tx.execute(
      sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`,
    );
    const [last] = await tx
      .select({ createdAt: appliedMigrations.createdAt })
      .from(appliedMigrations)
      .orderBy(desc(appliedMigrations.createdAt))
      .limit(1);
    let applied = 0;
    for (const migration of migrations) {
      // The same rule as drizzle's migrator: anything newer than the last recorded one.
      if (last && Number(last.createdAt) >= migration.when) continue;
      for (const statement of migration.sql.split("--> statement-breakpoint")) {
        if (statement.trim() !== "") await tx.execute(sql.raw(statement));
      }
      await tx
        .insert(appliedMigrations)
        .values({ hash: migrationHash(migration.sql), createdAt: migration.when });
      applied++;
    }
    return applied;
  });
}

/** The hash drizzle records for a migration: sha256 hex of the file's text. */
export function migrationHash(sqlText: string): string {
  return createHash("sha256").update(sqlText).digest("hex");
}
