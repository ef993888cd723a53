import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase } from "../../src/db/client.ts";
import { embeddedMigrations } from "../../src/db/migrations.gen.ts";
import type { Database, DatabaseHandle } from "../../src/db/types.ts";
import { silentLogger } from "./logs.ts";

/** A database opened for one test file; `cleanup()` closes it and removes its data. */
export interface TestDatabase {
  name: "pglite" | "postgres";
  handle: DatabaseHandle;
  db: Database;
  /** A URL for opening more handles onto the same database (postgres only). */
  url?: string;
  cleanup(): Promise<void>;
}

/** One opener per reachable implementation, for running a contract suite against each. */
export interface DatabaseImplementation {
  name: "pglite" | "postgres";
  open(): Promise<TestDatabase>;
}

/**
 * Every implementation reachable here: PGlite in a fresh temp dir always; PostgreSQL
 * when DATABASE_URL is set, in a freshly created database dropped again by cleanup().
 */
export function databaseImplementations(): DatabaseImplementation[] {
  const implementations: DatabaseImplementation[] = [{ name: "pglite", open: openTestPglite }];
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) implementations.push({ name: "postgres", open: () => openTestPostgres(serverUrl) });
  return implementations;
}

/**
 * A migrated PGlite data directory, made once per set of migrations and copied for each test
 * database: copying takes milliseconds where initdb takes seconds.
 */
async function pgliteTemplate(): Promise<string> {
  const key = createHash("sha256")
    .update(embeddedMigrations.map((m) => m.sql).join("\n"))
    .digest("hex")
    .slice(0, 12);
  const template = join(tmpdir(), `aura-pglite-template-${key}`);
  if (existsSync(join(template, "complete"))) return template;
  const building = mkdtempSync(join(tmpdir(), "aura-pglite-building-"));
  const handle = openDatabase({ dataDir: building }, silentLogger());
  await handle.get(60_000);
  await handle.close();
  writeFileSync(join(building, "complete"), "");
  try {
    renameSync(building, template);
  } catch {
    // Another test process finished its template first; theirs is as good as ours.
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** A fresh data directory holding a migrated PGlite database, for tests that open their own handle. */
export async function freshPgliteDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "aura-db-"));
  cpSync(await pgliteTemplate(), dataDir, { recursive: true });
  return dataDir;
}

/** Open PGlite in a new temp directory, migrated and ready. */
export async function openTestPglite(): Promise<TestDatabase> {
  const dataDir = await freshPgliteDataDir();
  const handle = openDatabase({ dataDir }, silentLogger());
  const db = await handle.get(60_000);
  return {
    name: "pglite",
    handle,
    db,
    async cleanup() {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Create an empty, uniquely named database on the server at `serverUrl`; drop() removes it. */
export async function createTestPostgresDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aura_t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Open a fresh database on the server at `serverUrl`, migrated and ready. */
export async function openTestPostgres(serverUrl: string): Promise<TestDatabase> {
  const created = await createTestPostgresDatabase(serverUrl);
  const handle = openDatabase({ databaseUrl: created.url, dataDir: tmpdir() }, silentLogger());
  const db = await handle.get(30_000);
  return {
    name: "postgres",
    handle,
    db,
    url: created.url,
    async cleanup() {
      await handle.close();
      await created.drop();
    },
  };
}
