import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dataDir = mkdtempSync(join(tmpdir(), "aura-first-run-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/**
 * Creating the embedded cluster with initdb peaks at ≈1 GB (it copies PostgreSQL's whole
 * WASM memory to emulate fork) and, in the worker that did it, stayed at ≈600 MB until a
 * restart. Measured in a process of its own, so that no other test's memory counts: a
 * first start must unpack the shipped cluster instead (peak ≈300 MB) and then hold about
 * what an ordinary start holds (≈200 MB).
 */
test("a database created on first start neither peaks nor stays high in memory", async () => {
  const script = `
    const { openPglite } = await import(${JSON.stringify(join(import.meta.dir, "../../src/db/pglite.ts"))});
    const { captureLogger } = await import(${JSON.stringify(join(import.meta.dir, "../helpers/logs.ts"))});
    const { logger, lines: logs } = captureLogger("info");
    const driver = await openPglite(${JSON.stringify(dataDir)}, logger);
    const rows = await driver.db.execute("select 1 as one");
    // The discarded worker's memory is returned as its thread ends: allow it a moment.
    let rss = process.memoryUsage.rss();
    for (let i = 0; i < 50 && rss > 400e6; i++) {
      await Bun.sleep(100);
      rss = process.memoryUsage.rss();
    }
    const peakKb = Number(require("node:fs").readFileSync("/proc/self/status", "utf8").match(/VmHWM:\\s+(\\d+)/)[1]);
    console.log(JSON.stringify({ rows: rows.rows ?? rows, logs, rssMb: Math.round(rss / 1e6), peakMb: Math.round(peakKb / 1024) }));
    await driver.close();
  `;
  const proc = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  expect(err).toBe("");
  expect(code).toBe(0);
  const result = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as {
    rows: unknown;
    logs: { msg: string; from?: string }[];
    rssMb: number;
    peakMb: number;
  };
  expect(result.rows).toEqual([{ one: 1 }]);
  expect(result.logs).toEqual([
    expect.objectContaining({ msg: "embedded database created", from: "template" }),
  ]);
  console.log(`first start on a new data directory: peak ${result.peakMb} MB, ${result.rssMb} MB once open`);
  expect(result.peakMb).toBeLessThan(600);
  expect(result.rssMb).toBeLessThan(400);
}, 60_000);
