import { afterAll, expect, test } from "bun:test";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPglite } from "../../src/db/pglite.ts";
import { PgliteBridge } from "../../src/db/pglite-bridge.ts";
import { captureLogger } from "../helpers/logs.ts";

const root = join(import.meta.dir, "../..");
const work = mkdtempSync(join(tmpdir(), "aura-cluster-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const json = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8"));

test("the shipped cluster template belongs to the installed PGlite (run scripts/db-cluster-template.ts after upgrading it)", () => {
  expect(json("src/db/pglite-cluster.json").pglite).toBe(
    json("node_modules/@electric-sql/pglite/package.json").version,
  );
});

async function openNew(dir: string, options: { template?: string } = {}) {
  const bridge = new PgliteBridge();
  try {
    const opened = await bridge.open(dir, options);
    const { rows } = await bridge.query(
      "select current_setting('server_encoding') as encoding, (select count(*)::int from pg_class) as relations",
    );
    return { opened, row: rows[0] };
  } finally {
    await bridge.close();
  }
}

test("a new database is unpacked from the template, without initdb", async () => {
  const { opened, row } = await openNew(join(work, "from-template"));
  expect(opened).toEqual({ created: "template" });
  expect(row).toMatchObject({ encoding: "UTF8" });
  expect((row as { relations: number }).relations).toBeGreaterThan(300);
}, 30_000);

test("a template that does not open falls back to initdb and says why", async () => {
  const bogus = join(work, "not-a-cluster.tar.gz");
  writeFileSync(bogus, "this is not a tarball");
  const { opened, row } = await openNew(join(work, "from-initdb"), { template: bogus });
  expect(opened.created).toBe("initdb");
  expect(opened.templateError).toBeString();
  expect(row).toMatchObject({ encoding: "UTF8" });

  const missing = await openNew(join(work, "from-initdb-2"), { template: join(work, "missing.tar.gz") });
  expect(missing.opened.created).toBe("initdb");

  // Valid gzip, but not a cluster.
  writeFileSync(bogus, Bun.gzipSync("this is not a tarball either"));
  const notTar = await openNew(join(work, "from-initdb-3"), { template: bogus });
  expect(notTar.opened.created).toBe("initdb");
}, 60_000);

test("an existing database opens as it is", async () => {
  const dir = join(work, "from-template");
  const { opened } = await openNew(dir);
  expect(opened).toEqual({ created: null });
}, 30_000);

test("a directory in the way that holds no cluster is moved aside, never deleted; an empty one is used", async () => {
  const dataDir = join(work, "in-the-way");
  mkdirSync(join(dataDir, "pglite"), { recursive: true });
  writeFileSync(join(dataDir, "pglite/notes.txt"), "mine");
  const { lines, logger } = captureLogger("info");
  const driver = await openPglite(dataDir, logger);
  await driver.close();
  const aside = readdirSync(dataDir).filter((name) => name.startsWith("pglite.incomplete-"));
  expect(aside).toHaveLength(1);
  expect(readFileSync(join(dataDir, aside[0]!, "notes.txt"), "utf8")).toBe("mine");
  expect(existsSync(join(dataDir, "pglite/PG_VERSION"))).toBe(true);
  expect(lines.map((l) => l.msg)).toEqual([
    "an incomplete embedded database directory was moved aside",
    "embedded database created",
  ]);

  const emptyDir = join(work, "empty");
  mkdirSync(join(emptyDir, "pglite"), { recursive: true });
  const empty = captureLogger("info");
  await (await openPglite(emptyDir, empty.logger)).close();
  expect(readdirSync(emptyDir)).toEqual(["pglite"]);
  expect(empty.lines.map((l) => l.msg)).toEqual(["embedded database created"]);
}, 30_000);

test("the worker never clears a directory it did not create: a failed template there is an error", async () => {
  const dir = join(work, "occupied");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "notes.txt"), "mine");
  const bridge = new PgliteBridge();
  try {
    await expect(bridge.open(dir, { template: join(work, "missing.tar.gz") })).rejects.toThrow("ENOENT");
  } finally {
    await bridge.close();
  }
  expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
}, 30_000);
