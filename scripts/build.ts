/**
 * Build the single binary dist/aura: assets first (their manifest is compiled in), then
 * `bun build --compile`. Views, assets, migrations and PGlite's wasm/data are embedded through
 * their imports; the PGlite worker is embedded as a second entrypoint.
 */
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { BUN_MAX_HEADER_BYTES } from "../src/plugins/limits.ts";
import { buildAssets } from "./build-assets.ts";

const root = join(import.meta.dir, "..");
export const binaryPath = join(root, "dist", "aura");

/** Build dist/aura; throws with Bun's output when compilation fails. */
export async function buildBinary(): Promise<void> {
  await buildAssets();
  const proc = Bun.spawnSync(
    [
      "bun",
      "build",
      "--compile",
      "--minify",
      // Embedded (zstd) in the binary so stack traces point at src/; see the .map cleanup below.
      "--sourcemap",
      // Precompiled bytecode halves exec → first response (≈80 → ≈40 ms). It also makes
      // import.meta.url the build machine's path, which is why the PGlite bridge finds its
      // worker through the embedded file system instead.
      "--bytecode",
      // A worker must be its own entrypoint to exist inside the binary at all.
      join(root, "src", "index.ts"),
      join(root, "src", "db", "pglite-worker.ts"),
      // Flat entry names put the worker at /$bunfs/root/pglite-worker.js, where the bridge looks.
      "--entry-naming",
      "[name].[ext]",
      // A bunfig.toml in whatever directory the binary is started from must not change it
      // (preloads, test settings). `.env` stays autoloaded, as with `bun src/index.ts`.
      "--no-compile-autoload-bunfig",
      // Bun's cap on a request head, above Aura's URL limit, so an over-long URL gets Aura's JSON
      // 431 rather than Bun's empty one (src/plugins/limits.ts).
      `--compile-exec-argv=--max-http-header-size=${BUN_MAX_HEADER_BYTES}`,
      "--outfile",
      binaryPath,
    ],
    { cwd: root, stdout: "pipe", stderr: "pipe" },
  );
  if (proc.exitCode !== 0)
    throw new Error(`bun build --compile failed:\n${proc.stdout.toString()}${proc.stderr.toString()}`);
  // Bun also writes the maps beside the binary; they are already inside it, and dist/ should
  // hold exactly the one file that ships.
  for (const map of ["aura.map", "pglite-worker.js.map"]) rmSync(join(root, "dist", map), { force: true });
}

if (import.meta.main) {
  const started = performance.now();
  await buildBinary();
  const mb = (statSync(binaryPath).size / 1024 / 1024).toFixed(1);
  console.log(`dist/aura: ${mb} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
