import type { TestApp } from "./app.ts";

/** Serve a test app on a free loopback port (for browsers and real HTTP clients). */
export function listen(t: TestApp): { url: string; stop(): Promise<void> } {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (request) => t.app.handle(request) });
  return { url: server.url.href.replace(/\/$/, ""), stop: () => server.stop(true) };
}
