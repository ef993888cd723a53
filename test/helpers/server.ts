import { createHandlers } from "../../src/handlers.ts";
import { rememberPeer } from "../../src/plugins/client-ip.ts";
import type { TestApp } from "./app.ts";

/**
 * Serve a test app on a free loopback port (for browsers, WebSocket clients and real HTTP
 * clients), as src/index.ts does; `idleTimeout` (seconds) shortens Bun's 10 s.
 */
export function listen(
  t: TestApp,
  options: { idleTimeout?: number } = {},
): { url: string; stop(): Promise<void> } {
  const handlers = createHandlers(t.app, t.deps);
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    ...options,
    fetch: (request, srv) => {
      rememberPeer(request, srv.requestIP(request)?.address);
      return handlers.fetch(request, srv);
    },
    websocket: handlers.websocket,
  });
  return { url: server.url.href.replace(/\/$/, ""), stop: () => server.stop(true) };
}
