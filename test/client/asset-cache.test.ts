import { expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildAssetsIfChanged, inputsHash } from "../../scripts/build-assets.ts";

const stamp = join(import.meta.dir, "..", "..", "src", "generated", "assets.inputs");

test("a start whose inputs match the last build skips the asset build", async () => {
  const hash = inputsHash();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(inputsHash()).toBe(hash);
  // As after a build of exactly these inputs (test/setup.ts built the assets if they were missing).
  const before = existsSync(stamp) ? readFileSync(stamp, "utf8") : undefined;
  writeFileSync(stamp, hash);
  try {
    expect(await buildAssetsIfChanged()).toBe(false);
  } finally {
    if (before !== undefined) writeFileSync(stamp, before);
  }
});
