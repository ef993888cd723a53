import { expect, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import { closeDeps, createDeps } from "../../src/deps.ts";
import { createLogger } from "../../src/logger.ts";
import { freshPgliteDataDir } from "../helpers/db.ts";

test("the sandbox runs on E2B when E2B_API_KEY is set, and locally otherwise", async () => {
  const logger = createLogger({ logLevel: "silent" });
  for (const [env, kind] of [
    [{ E2B_API_KEY: "e2b_test_key" }, "e2b"],
    [{}, "local"],
  ] as const) {
    // A migrated copy opens in a fraction of a second; an empty directory would run initdb.
    const config = loadConfig({ NODE_ENV: "test", DATA_DIR: await freshPgliteDataDir(), ...env });
    const deps = createDeps(config, logger);
    expect(deps.sandbox.kind).toBe(kind);
    await closeDeps(deps);
  }
}, 60_000);
