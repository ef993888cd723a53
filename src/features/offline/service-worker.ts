/**
 * The offline service worker's script as served at `/sw.js`. Its code is src/client/service-worker.ts,
 * built with the other assets; this hands it the build's version and asset URLs, in a
 * function around it (so its names stay out of the worker's global scope).
 */
import { readFileSync } from "node:fs";
import { serviceWorkerFile } from "../../generated/assets.ts";

let code: string | undefined;

/** The worker's script for these hashed asset URLs; its text changes (and so it updates) with every build. */
export function serviceWorkerScript(assets: string[]): string {
  code ??= readFileSync(serviceWorkerFile, "utf8");
  const version = new Bun.CryptoHasher("sha1").update(assets.join("\n")).digest("hex").slice(0, 12);
  return `"use strict";\n((AURA_OFFLINE) => {\n${code}\n})(${JSON.stringify({ version, assets })});\n`;
}
