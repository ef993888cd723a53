import { describe, expect, test } from "bun:test";
import { brotliDecompressSync } from "node:zlib";
import { Elysia } from "elysia";
import { chooseEncoding } from "../../src/plugins/compression.ts";
import { routeTracker, transport } from "../../src/plugins/transport.ts";
import { captureLogger } from "../helpers/logs.ts";

const big = "<p>hello</p>".repeat(200);

function appWithLog() {
  const log = captureLogger();
  const app = new Elysia()
    .wrap(transport(log.logger))
    .use(routeTracker())
    .get("/big", () => new Response(big, { headers: { "content-type": "text/html; charset=utf-8" } }))
    .get(
      "/small",
      () => new Response("<p>hi</p>", { headers: { "content-type": "text/html; charset=utf-8" } }),
    )
    .get("/png", () => new Response(new Uint8Array(4096), { headers: { "content-type": "image/png" } }))
    .get(
      "/events",
      () =>
        new Response(`data: ${"x".repeat(4096)}\n\n`, { headers: { "content-type": "text/event-stream" } }),
    )
    .get("/items/:id", ({ params }) => params.id);
  return { app, log };
}

const get = (app: { handle(r: Request): Promise<Response> }, path: string, encoding?: string) =>
  app.handle(
    new Request(`http://localhost${path}`, { headers: encoding ? { "accept-encoding": encoding } : {} }),
  );

describe("compression", () => {
  test("text over 1 KB is brotli-compressed when accepted, and decompresses to the original", async () => {
    const { app } = appWithLog();
    const res = await get(app, "/big", "gzip, deflate, br");
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(res.headers.get("vary")).toContain("Accept-Encoding");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(big.length / 4);
    expect(brotliDecompressSync(bytes).toString()).toBe(big);
  });

  test("gzip is used when brotli is not accepted", async () => {
    const { app } = appWithLog();
    const res = await get(app, "/big", "gzip");
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await res.arrayBuffer())))).toBe(big);
  });

  test("small bodies, binary types, event streams and clients without Accept-Encoding are left alone", async () => {
    const { app } = appWithLog();
    expect((await get(app, "/small", "br")).headers.get("content-encoding")).toBeNull();
    expect((await get(app, "/png", "br")).headers.get("content-encoding")).toBeNull();
    expect((await get(app, "/events", "br")).headers.get("content-encoding")).toBeNull();
    expect((await get(app, "/big")).headers.get("content-encoding")).toBeNull();
  });

  test("q=0 refuses an encoding", () => {
    expect(chooseEncoding("br;q=0, gzip")).toBe("gzip");
    expect(chooseEncoding("identity")).toBeUndefined();
    expect(chooseEncoding("gzip;q=0.5, br;q=1")).toBe("br");
  });
});

describe("access log", () => {
  test("one JSON line per request with method, route pattern, status and ms — never the raw URL", async () => {
    const { app, log } = appWithLog();
    await app.handle(new Request("http://localhost/items/42?token=secret-value"));
    const lines = log.lines.filter((l) => l.msg === "request");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: "GET", route: "/items/:id", status: 200 });
    expect(typeof lines[0]!.ms).toBe("number");
    expect(JSON.stringify(log.lines)).not.toContain("secret-value");
  });

  test("secrets in logged objects are redacted", () => {
    const { logger, lines } = captureLogger();
    logger.info(
      { password: "hunter2", user: { token: "abc", apiKey: "k" }, headers: { authorization: "Bearer x" } },
      "x",
    );
    const text = JSON.stringify(lines);
    for (const secret of ["hunter2", '"abc"', '"k"', "Bearer x"]) expect(text).not.toContain(secret);
  });
});
