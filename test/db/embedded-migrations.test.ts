import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrationHash } from "../../src/db/migrate.ts";
import { embeddedMigrations } from "../../src/db/migrations.gen.ts";

const drizzleDir = join(import.meta.dir, "../../drizzle");

test("the embedded migrations match drizzle/ (run scripts/db-embed-migrations.ts after generating)", () => {
  const journal = JSON.parse(readFileSync(join(drizzleDir, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  expect(embeddedMigrations.map((m) => m.tag)).toEqual(journal.entries.map((e) => e.tag));
  for (const migration of embeddedMigrations) {
    expect(migration.sql).toBe(readFileSync(join(drizzleDir, `${migration.tag}.sql`), "utf8"));
  }
});

test("the embedded migrations carry the hashes and timestamps drizzle's own migrator would record", () => {
  const fromDisk = readMigrationFiles({ migrationsFolder: drizzleDir });
  expect(embeddedMigrations.map((m) => ({ hash: migrationHash(m.sql), when: m.when }))).toEqual(
    fromDisk.map((m) => ({ hash: m.hash, when: m.folderMillis })),
  );
});
