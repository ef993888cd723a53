/**
 * Development server: rebuild assets when views, client sources or public/ change (their
 * manifest is imported by the server, so `bun --watch` restarts it), and restart on code changes.
 */
import { watch } from "node:fs";
import { join } from "node:path";
import { BUN_MAX_HEADER_BYTES } from "../src/plugins/limits.ts";
import { buildAssets } from "./build-assets.ts";

const root = join(import.meta.dir, "..");
await buildAssets();
const server = Bun.spawn(
  ["bun", "--watch", `--max-http-header-size=${BUN_MAX_HEADER_BYTES}`, join(root, "src", "index.ts")],
  {
    stdout: "inherit",
    stderr: "inherit",
  },
);

let timer: Timer | undefined;
const rebuild = () => {
  clearTimeout(timer);
  timer = setTimeout(() => buildAssets().catch((error: unknown) => console.error(error)), 150);
};
for (const dir of ["views", "src/client", "src/features"])
  watch(join(root, dir), { recursive: true }, rebuild);
watch(join(root, "public"), (_event, file) => file !== "assets" && rebuild());

process.on("SIGINT", () => {
  server.kill();
  process.exit(0);
});
