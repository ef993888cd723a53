import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { openDatabase } from "../../src/db/client.ts";
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

/** Open PGlite in a new temp directory, migrated and ready. */
export async function openTestPglite(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "aura-db-"));
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
