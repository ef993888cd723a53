import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../src/db/client.ts";
import { HISTORY_LIMIT } from "../../src/db/queries/files.ts";
import { queryRows } from "../../src/db/raw.ts";
import { newAccount } from "../helpers/auth.ts";
import { createTestPostgresDatabase, freshPgliteDataDir } from "../helpers/db.ts";
import { silentLogger } from "../helpers/logs.ts";
import { type ServerProcess, spawnServer } from "../helpers/server-process.ts";

/**
 * Crash safety of saves. For the embedded store (PGlite in a temp DATA_DIR)
 * and, when DATABASE_URL is set, PostgreSQL (a fresh database): the server runs as a real
 * process; a save storm (WORKERS concurrent clients PUTting distinct new files and new versions
 * of a few hot files, no baseVersion) runs against it; the process is killed with SIGKILL while
 * saves are in flight; it is restarted on the same data. A save is *acknowledged* when its PUT
 * answered 200 with a JSON body `{path, version}`. Checked after the restart:
 *
 * 1. Through the API (the restarted server, whose in-process caches start empty; no Redis is
 *    configured, so nothing can answer from a cache that outlived the crash): every
 *    acknowledged path is listed with a version ≥ the highest acknowledged version of that
 *    path; its current content is exactly the acknowledged content when the version is equal,
 *    and otherwise the content of some save that was *sent* to that path (a later save that
 *    committed before the kill but whose answer never arrived). The pre-crash access token,
 *    a fresh login, and new saves all work.
 * 2. In the database itself (read directly after a clean stop): for every acknowledged save,
 *    the history row of that path and version exists with exactly the acknowledged content
 *    (hot files get fewer than HISTORY_LIMIT saves, so none is trimmed); every path's history
 *    is the unbroken run 1…current with no gaps or duplicates; every stored content is one that
 *    was sent to that path (nothing torn or mixed up); each file's current row equals its
 *    newest history row.
 *
 * Any answer other than 200 before the kill fails the test; after the kill, failures are
 * expected and such saves count as unacknowledged.
 */

const pgServer = process.env.DATABASE_URL;
if (!pgServer) console.warn("crash test on PostgreSQL skipped: DATABASE_URL not set");

const WORKERS = 24;
/** Kill once this many saves are acknowledged (or after KILL_DEADLINE_MS, whichever is first). */
const KILL_AFTER_ACKS = 100;
const KILL_DEADLINE_MS = 15_000;
const HOT_FILES = 4;
/** Sends per hot file, so its whole history stays within HISTORY_LIMIT. */
const HOT_MAX_SENDS = HISTORY_LIMIT - 5;
const TEST_TIMEOUT = 150_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 60_000);

interface Ack {
  path: string;
  version: number;
  content: string;
}

/** A save's content: names the path and the send, padded to a size that varies with `n`. */
function contentFor(path: string, n: number): string {
  const head = `// ${path} send ${n} ${crypto.randomUUID()}\n`;
  const line = `export const v${n} = ${JSON.stringify(path)}; // padding to vary the row size\n`;
  return head + line.repeat(1 + ((n * 37) % 300));
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text.slice(0, 300)}`);
  }
}

async function crashScenario(kind: "pglite" | "postgres"): Promise<void> {
  const dataDir = kind === "pglite" ? await freshPgliteDataDir() : mkdtempSync(join(tmpdir(), "aura-crash-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (kind === "postgres") {
    const created = await createTestPostgresDatabase(pgServer!);
    databaseUrl = created.url;
    cleanups.push(() => created.drop());
  }
  const env = {
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    JWT_SECRET: Buffer.from(crypto.getRandomValues(new Uint8Array(36))).toString("base64url"),
    RATE_LIMIT_EDITOR: "100000000/1m",
    RATE_LIMIT_API: "100000000/1m",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const servers: ServerProcess[] = [];
  cleanups.push(async () => {
    for (const server of servers) await server.stop(2_000);
  });
  const start = () => {
    const server = spawnServer({ dataDir, env });
    servers.push(server);
    return server;
  };

  // --- Before the crash --------------------------------------------------------------------------
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    phases[name] = Math.round(performance.now() - mark);
    mark = performance.now();
  };
  let server = start();
  await server.ready();
  phase("boot");
  const account = newAccount();
  const reg = await fetch(`${server.base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  expect(reg.status).toBe(201);
  const { token } = await json<{ token: string }>(reg);
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const created = await fetch(`${server.base}/api/v1/projects`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ name: "Crash", language: "javascript" }),
  });
  expect(created.status).toBe(201);
  const { id: projectId } = await json<{ id: string }>(created);
  const fileUrl = (base: string, path: string) => `${base}/api/v1/projects/${projectId}/files/${path}`;

  /** Every content sent to each path, acknowledged or not. */
  const sent = new Map<string, Set<string>>();
  const acks: Ack[] = [];
  const unexpected: string[] = [];
  let killed = false;
  let inFlight = 0;

  async function save(base: string, path: string, n: number): Promise<void> {
    const content = contentFor(path, n);
    if (!sent.has(path)) sent.set(path, new Set());
    sent.get(path)!.add(content);
    inFlight++;
    try {
      const res = await fetch(fileUrl(base, path), {
        method: "PUT",
        headers: auth,
        body: JSON.stringify({ content }),
      });
      const text = await res.text();
      if (res.status === 200) {
        const body = JSON.parse(text) as { path: string; version: number };
        if (body.path !== path) unexpected.push(`saved ${path} answered path ${body.path}`);
        acks.push({ path, version: body.version, content });
      } else if (!killed) {
        unexpected.push(`${path}: ${res.status} ${text.slice(0, 200)}`);
      }
    } catch (error) {
      // After the kill a cut connection (or a body cut short) is an unacknowledged save.
      if (!killed) unexpected.push(`${path}: ${(error as Error).message}`);
    } finally {
      inFlight--;
    }
  }

  // The hot files exist before the storm: two concurrent *first* saves of one path are a 409 by
  // design (a stale save), which is not what this test is about.
  const hot = Array.from({ length: HOT_FILES }, (_, k) => `hot/h${k}.js`);
  const hotSends = new Map(hot.map((path) => [path, 1]));
  for (const path of hot) await save(server.base, path, 1);
  expect(unexpected).toEqual([]);
  phase("setup");

  // --- The storm and the kill -----------------------------------------------------------------
  const victim = server;
  let distinct = 0;
  const stormStarted = performance.now();
  const workers = Array.from({ length: WORKERS }, async (_, w) => {
    for (let i = 0; !killed; i++) {
      const path = hot[(w + i) % HOT_FILES]!;
      const sends = hotSends.get(path)!;
      if (i % 3 === 0 && sends < HOT_MAX_SENDS) {
        hotSends.set(path, sends + 1);
        await save(victim.base, path, sends + 1);
      } else {
        distinct++;
        await save(victim.base, `storm/w${w}/f${i}.js`, distinct);
      }
    }
  });
  while (acks.length < KILL_AFTER_ACKS + HOT_FILES && performance.now() - stormStarted < KILL_DEADLINE_MS)
    await Bun.sleep(2);
  const inFlightAtKill = inFlight;
  const acksAtKill = acks.length;
  killed = true;
  await victim.kill9();
  await Promise.all(workers);
  phase("storm");
  expect(victim.proc.signalCode).toBe("SIGKILL");
  expect(unexpected).toEqual([]);
  expect(inFlightAtKill).toBeGreaterThan(0);
  expect(acks.length).toBeGreaterThanOrEqual(20);

  // --- After the restart: through the API ---------------------------------------------------------
  server = start();
  const restartMs = await server.ready();
  phase("restart");
  const highest = new Map<string, Ack>();
  for (const ack of acks) {
    const seen = highest.get(ack.path);
    if (!seen || ack.version > seen.version) highest.set(ack.path, ack);
  }
  // The access token issued before the crash is still honoured; so is a fresh login.
  const listing = await fetch(`${server.base}/api/v1/projects/${projectId}/files`, { headers: auth });
  expect(listing.status).toBe(200);
  const files = new Map(
    (await json<{ files: { path: string; version: number }[] }>(listing)).files.map((f) => [
      f.path,
      f.version,
    ]),
  );
  const login = await fetch(`${server.base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  expect(login.status).toBe(200);

  const missing: string[] = [];
  const wrong: string[] = [];
  let laterThanAcked = 0;
  const paths = [...highest.keys()];
  for (let i = 0; i < paths.length; i += 16) {
    await Promise.all(
      paths.slice(i, i + 16).map(async (path) => {
        const ack = highest.get(path)!;
        const listed = files.get(path);
        if (listed === undefined || listed < ack.version) {
          missing.push(`${path}: acknowledged v${ack.version}, listed ${listed ?? "nothing"}`);
          return;
        }
        const res = await fetch(fileUrl(server.base, path), { headers: auth });
        if (res.status !== 200) {
          missing.push(`${path}: GET answered ${res.status}`);
          return;
        }
        const file = await json<{ version: number; content: string }>(res);
        if (file.version === ack.version) {
          if (file.content !== ack.content)
            wrong.push(`${path} v${file.version}: not the acknowledged content`);
        } else if (file.version > ack.version) {
          laterThanAcked++;
          if (!sent.get(path)!.has(file.content)) wrong.push(`${path} v${file.version}: content never sent`);
        } else {
          missing.push(`${path}: acknowledged v${ack.version}, GET answered v${file.version}`);
        }
      }),
    );
  }
  expect(missing).toEqual([]);
  expect(wrong).toEqual([]);

  // The restarted server takes new saves: a new version of a hot file on its current version, a new file.
  const hot0 = files.get(hot[0]!)!;
  const afterRestart = "// after the restart\n";
  sent.get(hot[0]!)!.add(afterRestart);
  const next = await fetch(fileUrl(server.base, hot[0]!), {
    method: "PUT",
    headers: auth,
    body: JSON.stringify({ content: afterRestart, baseVersion: hot0 }),
  });
  expect(next.status).toBe(200);
  expect(await json<{ version: number }>(next)).toMatchObject({ version: hot0 + 1 });
  const fresh = await fetch(fileUrl(server.base, "after/restart.js"), {
    method: "PUT",
    headers: auth,
    body: JSON.stringify({ content: "// new\n" }),
  });
  expect(fresh.status).toBe(200);
  expect(await server.stop()).toBe(0);
  phase("api");

  // --- After a clean stop: in the database itself ---------------------------------------------------
  const handle = openDatabase({ databaseUrl, dataDir }, silentLogger());
  try {
    const db = await handle.get(60_000);
    const versions = await queryRows<{ path: string; version: number; content: string }>(
      db,
      sql`select path, version, content from file_versions where project_id = ${projectId} order by path, version`,
    );
    const current = await queryRows<{ path: string; version: number; content: string }>(
      db,
      sql`select path, version, content from project_files where project_id = ${projectId}`,
    );
    const history = new Map<string, Map<number, string>>();
    const duplicates: string[] = [];
    for (const row of versions) {
      if (!history.has(row.path)) history.set(row.path, new Map());
      const byVersion = history.get(row.path)!;
      if (byVersion.has(Number(row.version))) duplicates.push(`${row.path} v${row.version}`);
      byVersion.set(Number(row.version), row.content);
    }
    expect(duplicates).toEqual([]);
    const lost = acks
      .filter((ack) => history.get(ack.path)?.get(ack.version) !== ack.content)
      .map((ack) => `${ack.path} v${ack.version}`);
    expect(lost).toEqual([]);
    const broken: string[] = [];
    for (const row of current) {
      if (!sent.has(row.path)) continue; // the project's template files and the post-restart saves
      const byVersion = history.get(row.path) ?? new Map<number, string>();
      const numbers = [...byVersion.keys()].sort((a, b) => a - b);
      const expected = Array.from({ length: Number(row.version) }, (_, i) => i + 1);
      if (numbers.join() !== expected.join())
        broken.push(`${row.path}: history ${numbers.join()} for v${row.version}`);
      for (const [version, content] of byVersion)
        if (!sent.get(row.path)!.has(content)) broken.push(`${row.path} v${version}: content never sent`);
      if (byVersion.get(Number(row.version)) !== row.content)
        broken.push(`${row.path}: current ≠ newest version`);
    }
    expect(broken).toEqual([]);
  } finally {
    await handle.close();
  }
  phase("db");

  console.log(
    `crash (${kind}): ${acksAtKill} saves acknowledged when killed with ${inFlightAtKill} in flight ` +
      `(${acks.length} in all, ${highest.size} paths, ${[...sent.values()].reduce((n, s) => n + s.size, 0)} sent); ` +
      `restart ready in ${Math.round(restartMs)} ms; every acknowledged save present ` +
      `(${laterThanAcked} paths at a later, unacknowledged version); ms: ${JSON.stringify(phases)}`,
  );
}

test(
  "embedded PGlite: every save acknowledged before a kill -9 during a save storm is there after restart",
  () => crashScenario("pglite"),
  TEST_TIMEOUT,
);

test.skipIf(!pgServer)(
  "PostgreSQL: every save acknowledged before a kill -9 during a save storm is there after restart",
  () => crashScenario("postgres"),
  TEST_TIMEOUT,
);
