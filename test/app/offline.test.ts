import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assetUrl, staticAssets } from "../../src/assets.ts";
import { serviceWorkerScript } from "../../src/features/offline/service-worker.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";

describe("/sw.js", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  }, 60_000);
  afterAll(() => t?.close());

  test("is a script over every hashed asset but the terminal's, never cached by the browser", async () => {
    const res = await t.request("/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/javascript");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const script = await res.text();
    const terminal = assetUrl("terminal.js");
    const hashed = [...staticAssets().values()]
      .filter((a) => a.immutable && a.url !== terminal)
      .map((a) => a.url);
    expect(hashed.length).toBeGreaterThan(5);
    for (const url of hashed) expect(script).toContain(JSON.stringify(url).slice(1, -1));
    // The terminal needs the server anyway: it is not fetched ahead for every visit.
    expect(script).not.toContain(terminal);
    // It parses as JavaScript, and keeps project pages only.
    expect(() => new Function("self", "caches", "fetch", script)).not.toThrow();
    expect(script).toContain("aura-pages");
  });

  test("its text, and so its version, changes with the build's assets", () => {
    const a = serviceWorkerScript(["/assets/app.1.css"]);
    expect(serviceWorkerScript(["/assets/app.1.css"])).toBe(a);
    expect(serviceWorkerScript(["/assets/app.2.css"])).not.toBe(a);
  });
});
