import { setDefaultTimeout } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";

// bunfig's `[test] timeout` is not honoured by Bun 1.4; set the default here (a preload applies
// it to every file). Tests that start servers or hash passwords take seconds on a busy 2-core CI.
setDefaultTimeout(30_000);

// A fresh clone has no built assets until `bun install` (postinstall) or `bun run assets` runs;
// build them here too so `bun test` works either way.
if (!existsSync(join(import.meta.dir, "..", "src", "generated", "assets.ts"))) {
  const { buildAssets } = await import("../scripts/build-assets.ts");
  await buildAssets();
}
