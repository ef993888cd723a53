import { expect, test } from "bun:test";
import { join } from "node:path";
import { PgliteBridge } from "../../src/db/pglite-bridge.ts";

// Before, open() waited out its 10 s start limit and close() then never returned (it asked
// the dead worker to close the database): a server whose worker could not load hung at boot.
test("a worker that cannot load fails open() at once, and close() still returns", async () => {
  const bridge = new PgliteBridge(join(import.meta.dir, "fixtures/broken-worker.ts"));
  await expect(bridge.open("/nonexistent")).rejects.toThrow("this worker cannot load");
  await bridge.close();
}, 5_000);
