/**
 * Boot. The HTTP port opens first with only the configuration parsed, answering /healthz at
 * once; the application (Elysia, drivers, views) loads right after and every other request
 * waits for it. /readyz reports when the dependencies are ready. The static imports below load
 * before the port opens, so they must not pull in any npm package (test/app/boot-graph.test.ts).
 */
import { type Config, ConfigError, loadConfig } from "./config.ts";
import type { SocketData } from "./handlers.ts";
import { rememberPeer } from "./plugins/client-ip.ts";
import type { Server } from "./server.ts";

/** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
const DRAIN_MS = 10_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Aura cannot start: ${error.message}`);
    process.exit(1);
  }
}

const config = readConfig();
let app: Server | undefined;
const server = Bun.serve<SocketData>({
  port: config.port,
  // No cap of Bun's own: over it, Bun answers 413 with an empty body before the app sees the
  // request. The app refuses each body over its route's limit (8 MiB at most) with the
  // API's JSON error, by Content-Length before reading and while reading otherwise, and never
  // reads a body without a limit; a body it does not read is drained by Bun, not buffered.
  maxRequestBodySize: Number.MAX_SAFE_INTEGER,
  // The app installs its own error handling; this only guards the bootstrap's await.
  error: (error) => {
    console.error(error);
    return Response.json(
      { error: { code: "internal_error", message: "Internal server error" } },
      { status: 500 },
    );
  },
  async fetch(request, server) {
    rememberPeer(request, server.requestIP(request)?.address);
    if (app) return app.fetch(request, server);
    if (new URL(request.url).pathname === "/healthz") return new Response("ok");
    return (await loading).fetch(request, server);
  },
  // Sockets exist only once the app has loaded (their upgrade goes through it).
  websocket: {
    open: (ws) => app?.websocket.open?.(ws),
    message: (ws, message) => app?.websocket.message?.(ws, message),
    close: (ws, code, reason) => app?.websocket.close?.(ws, code, reason),
    drain: (ws) => app?.websocket.drain?.(ws),
    maxPayloadLength: 16 * 1024 * 1024,
    idleTimeout: 120,
    sendPings: true,
    perMessageDeflate: false,
  },
});
// One line for a person starting it by hand (the JSON log is for machines).
if (config.nodeEnv !== "test") {
  const where = `http://${server.hostname === "0.0.0.0" || server.hostname === "::" ? "localhost" : server.hostname}:${server.port}`;
  const setup = config.firstStart.length > 0 ? ` — first start: ${config.firstStart.join("; ")}` : "";
  console.log(`Aura is running at ${where}${setup}`);
}
const loading = import("./server.ts").then(({ startServer }) => {
  app = startServer(config, server.url.href);
  return app;
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  const loaded = await loading;
  loaded.logger.info("shutting down: no new connections, draining");
  const drained = server.stop(false);
  const timeout = new Promise<"timeout">((resolve) => setTimeout(resolve, DRAIN_MS, "timeout").unref());
  if ((await Promise.race([drained, timeout])) === "timeout") {
    loaded.logger.warn("drain timed out; closing remaining connections");
    await server.stop(true);
  }
  await loaded.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
