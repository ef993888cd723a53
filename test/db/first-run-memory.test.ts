import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dataDir = mkdtempSync(join(tmpdir(), "aura-first-run-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * Creating the embedded cluster (initdb) grows PostgreSQL's WASM memory to ≈900 MB, which a
 * WASM instance never gives back. Measured in a process of its own, so that no other test's
 * memory counts: opening a new data directory must leave the process near an ordinary
 * start's ≈200 MB (it stayed at ≈600 MB when initdb ran in the worker that kept serving).
 */
test("a database created on first start does not keep initdb's memory", async () => {
  const script = `
    const { openPglite } = await import(${JSON.stringify(join(import.meta.dir, "../../src/db/pglite.ts"))});
    const driver = await openPglite(${JSON.stringify(dataDir)});
    const rows = await driver.db.execute("select 1 as one");
    // The discarded worker's memory is returned as its thread ends: allow it a moment.
    let rss = process.memoryUsage.rss();
    for (let i = 0; i < 50 && rss > 400e6; i++) {
      await Bun.sleep(100);
      rss = process.memoryUsage.rss();
    }
    console.log(JSON.stringify({ rows: rows.rows ?? rows, rssMb: Math.round(rss / 1e6) }));
    await driver.close();
  `;
  const proc = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect(err).not.toContain("error");
  expect(code).toBe(0);
  const result = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { rows: unknown; rssMb: number };
  expect(result.rows).toEqual([{ one: 1 }]);
  console.log(`first start on a new data directory: ${result.rssMb} MB resident once open`);
  expect(result.rssMb).toBeLessThan(400);
}, 60_000);
