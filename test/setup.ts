import { existsSync } from "node:fs";
import { join } from "node:path";

// A fresh clone has no built assets until `bun install` (postinstall) or `bun run assets` runs;
// build them here too so `bun test` works either way.
if (!existsSync(join(import.meta.dir, "..", "src", "generated", "assets.ts"))) {
  const { buildAssets } = await import("../scripts/build-assets.ts");
  await buildAssets();
}
