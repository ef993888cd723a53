import { Elysia } from "elysia";
import { assetUrl, staticAssets } from "../../assets.ts";
import { serviceWorkerScript } from "./service-worker.ts";

/** `/sw.js`: the offline service worker, rendered once with this build's hashed assets. */
export function offlineRoutes() {
  let script: string | undefined;
  return new Elysia({ name: "offline" }).get("/sw.js", () => {
    // Not the terminal: it needs the server anyway, and most visits never open one.
    const lazy = new Set([assetUrl("terminal.js")]);
    script ??= serviceWorkerScript(
      [...staticAssets().values()].filter((a) => a.immutable && !lazy.has(a.url)).map((a) => a.url),
    );
    return new Response(script, {
      headers: {
        "content-type": "text/javascript; charset=utf-8",
        // Browsers check for a new worker on navigation; never let a cache hide a deploy.
        "cache-control": "no-cache",
        "service-worker-allowed": "/",
      },
    });
  });
}
