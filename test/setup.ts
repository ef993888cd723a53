import { setDefaultTimeout } from "bun:test";

// Tests that start servers or hash passwords take seconds on a busy 2-core CI: 30 s each by
// default. Bun 1.4 honours neither bunfig's `[test] timeout` nor a preload's setDefaultTimeout
// beyond the first test file (the default is back to 5 s for every later file), so each test
// file imports, ahead of its own first line (line numbers stay true), a module of its own that
// sets it: a virtual module per file, evaluated before the file registers its tests.
const DEFAULT_TIMEOUT_MS = 30_000;
setDefaultTimeout(DEFAULT_TIMEOUT_MS);
Bun.plugin({
  name: "default test timeout per file",
  setup(build) {
    build.onLoad({ filter: /\.test\.tsx?$/ }, async ({ path }) => ({
      contents: `import "aura-test-timeout:${path}";${await Bun.file(path).text()}`,
      loader: path.endsWith("x") ? "tsx" : "ts",
    }));
    build.onResolve({ filter: /^aura-test-timeout:/ }, ({ path }) => ({
      path,
      namespace: "aura-test-timeout",
    }));
    build.onLoad({ filter: /.*/, namespace: "aura-test-timeout" }, () => ({
      contents: `import { setDefaultTimeout } from "bun:test"; setDefaultTimeout(${DEFAULT_TIMEOUT_MS});`,
      loader: "js",
    }));
  },
});

// A fresh clone has no built assets until `bun install` (postinstall) or `bun run assets` runs,
// and a change to the client leaves them stale: build them here when their inputs changed (≈30 ms
// to tell), so `bun test` always tests the code as it is.
const { buildAssetsIfChanged } = await import("../scripts/build-assets.ts");
await buildAssetsIfChanged();
