import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../../src/app.ts";
import { openDatabase } from "../../src/db/client.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 60_000);
afterAll(() => t.close());

describe("health and readiness", () => {
  test("/healthz answers ok as plain text", async () => {
    const res = await t.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  test("/readyz reports every dependency and is 200 when the database is up", async () => {
    const res = await t.request("/readyz");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ready");
    expect(Object.keys(body.checks).sort()).toEqual(["ai", "cache", "database", "sandbox", "vectors"]);
    expect(body.checks.database).toMatchObject({ ok: true, required: true, kind: t.deps.db.kind });
    expect(body.checks.cache).toMatchObject({ ok: true, kind: t.deps.cache.kind });
    expect(body.checks.ai).toMatchObject({ ok: false, required: false, kind: "off" });
  });

  test("/readyz is 503 while the database is unreachable, and /healthz still answers", async () => {
    const logger = t.deps.logger;
    const db = openDatabase(
      {
        databaseUrl: "postgres://aura:s3cret@127.0.0.1:1/aura",
        dataDir: "/nonexistent",
        retry: { initialMs: 50, maxMs: 50 },
      },
      logger,
    );
    const app = createApp({ ...t.deps, db });
    try {
      await Bun.sleep(100);
      const res = await app.handle(new Request("http://localhost/readyz"));
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.checks.database.ok).toBe(false);
      expect(JSON.stringify(body)).not.toContain("s3cret");
      expect((await app.handle(new Request("http://localhost/healthz"))).status).toBe(200);
    } finally {
      await db.close();
    }
  });

  test("an AI upstream that is configured but unreachable is reported without failing readiness", async () => {
    const app = createApp({
      ...t.deps,
      config: {
        ...t.deps.config,
        ai: { ...t.deps.config.ai, baseUrl: "http://127.0.0.1:1/v1", apiKey: "sk-test" },
      },
    });
    const body = await (await app.handle(new Request("http://localhost/readyz"))).json();
    expect(body.status).toBe("ready");
    expect(body.checks.ai).toMatchObject({ ok: false, kind: "openai-compatible" });
    expect(JSON.stringify(body)).not.toContain("sk-test");
  });
});
