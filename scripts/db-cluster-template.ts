/**
 * Write src/db/pglite-cluster.tar.gz: an empty PostgreSQL cluster made by PGlite's initdb.
 * The embedded database unpacks it on first start instead of running initdb, which takes
 * ≈2 s and ≈1 GB of memory at its peak (it emulates fork by copying PostgreSQL's whole WASM
 * memory). The cluster belongs to one PGlite version, recorded in src/db/pglite-cluster.json
 * and checked by a test: run this after upgrading @electric-sql/pglite.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";

const root = join(import.meta.dir, "..");
const { version } = JSON.parse(
  readFileSync(join(root, "node_modules/@electric-sql/pglite/package.json"), "utf8"),
) as { version: string };

const work = mkdtempSync(join(tmpdir(), "aura-cluster-"));
try {
  const dir = join(work, "pglite");
  await (await PGlite.create(dir)).close();
  // Dump from a clean start, as a server would find it.
  const pg = await PGlite.create(dir);
  const tarball = await pg.dumpDataDir("gzip");
  await pg.close();
  writeFileSync(join(root, "src/db/pglite-cluster.tar.gz"), new Uint8Array(await tarball.arrayBuffer()));
  writeFileSync(
    join(root, "src/db/pglite-cluster.json"),
    `${JSON.stringify({ pglite: version }, null, 2)}\n`,
  );
  console.log(
    `wrote src/db/pglite-cluster.tar.gz (${(tarball.size / 1e6).toFixed(1)} MB) for PGlite ${version}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
