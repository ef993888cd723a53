import { expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../src/db/client.ts";
import { embeddedMigrations } from "../../src/db/migrations.gen.ts";
import { queryRows } from "../../src/db/raw.ts";
import { createLogger } from "../../src/logger.ts";
import { createTestPostgresDatabase } from "../helpers/db.ts";

const serverUrl = process.env.DATABASE_URL;

test.skipIf(!serverUrl)(
  "several instances booting at once against one PostgreSQL migrate it exactly once",
  async () => {
    const created = await createTestPostgresDatabase(serverUrl!);
    // A lost race would only show as a failed attempt that the retry loop then hides.
    const warnings: string[] = [];
    const logger = createLogger({ logLevel: "warn" }, { write: (line: string) => warnings.push(line) });
    const handles = Array.from({ length: 4 }, () =>
      openDatabase({ databaseUrl: created.url, dataDir: "/nonexistent" }, logger),
    );
    try {
      const dbs = await Promise.all(handles.map((h) => h.get(20_000)));
      const rows = await queryRows<{ n: number }>(
        dbs[0]!,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(rows[0]?.n).toBe(embeddedMigrations.length);
      expect(handles.every((h) => h.status().ready)).toBe(true);
      expect(warnings).toEqual([]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await created.drop();
    }
  },
  30_000,
);
