import { describe, expect, test } from "bun:test";
import { BatchWriter, isRowError } from "../../src/db/batch-writer.ts";

/** A write that records each call and waits until `release` is called for it. */
function gatedWrite(fail?: (rows: number[]) => unknown) {
  const calls: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (rows: number[]) => {
    calls.push(rows);
    await new Promise<void>((resolve) => gates.push(resolve));
    const error = fail?.(rows);
    if (error) throw error;
  };
  const release = async () => {
    await Bun.sleep(1);
    for (const open of gates.splice(0)) open();
    await Bun.sleep(1);
  };
  return { calls, write, release };
}

describe("BatchWriter", () => {
  test("writes a row at once when idle, and what arrives meanwhile in one later write, bounded in size", async () => {
    const { calls, write, release } = gatedWrite();
    const writer = new BatchWriter(write, 3);
    const settled: number[] = [];
    const all = [1, 2, 3, 4, 5, 6].map((n) => writer.add(n).then(() => settled.push(n)));
    expect(calls).toEqual([[1]]);
    await Bun.sleep(1);
    expect(settled).toEqual([]); // nothing is acknowledged before its write is done
    await release();
    expect(settled).toEqual([1]);
    expect(calls).toEqual([[1], [2, 3, 4]]);
    await release();
    await release();
    await Promise.all(all);
    expect(calls).toEqual([[1], [2, 3, 4], [5, 6]]);
    expect(settled).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("a failure that is not one row's fails its whole batch at once, and later rows still go", async () => {
    let down = true;
    const { calls, write, release } = gatedWrite(() => (down ? new Error("connection lost") : undefined));
    const writer = new BatchWriter(write);
    const first = writer.add(1).catch((e: Error) => e.message);
    const batch = [2, 3].map((n) => writer.add(n).catch((e: Error) => e.message));
    await release();
    await release();
    expect(await first).toBe("connection lost");
    expect(await Promise.all(batch)).toEqual(["connection lost", "connection lost"]);
    expect(calls).toEqual([[1], [2, 3]]); // no row-by-row retry of a database that is down
    down = false;
    const later = writer.add(4);
    await release();
    await later;
    expect(calls.at(-1)).toEqual([4]);
  });

  test("only data and integrity errors (SQLSTATE classes 22 and 23) count as one row's fault", () => {
    expect(isRowError(Object.assign(new Error("fk"), { code: "23503" }))).toBe(true);
    expect(
      isRowError(new Error("wrapped", { cause: Object.assign(new Error("range"), { code: "22003" }) })),
    ).toBe(true);
    expect(isRowError(Object.assign(new Error("shutdown"), { code: "57P01" }))).toBe(false);
    expect(isRowError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe(false);
  });
});
