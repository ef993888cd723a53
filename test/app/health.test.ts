import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createE2BRunner } from "../../src/adapters/sandbox/e2b.ts";
import { createLocalRunner } from "../../src/adapters/sandbox/local.ts";
import { createApp } from "../../src/app.ts";
import { openDatabase } from "../../src/db/client.ts";
import { createSandbox } from "../../src/deps.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { captureLogger, silentLogger } from "../helpers/logs.ts";
import { sandboxSkipReason, testInstance } from "../helpers/sandbox.ts";

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

  const sandboxCheck = async (sandbox: ReturnType<typeof createSandbox>) => {
    const app = createApp({ ...t.deps, sandbox });
    try {
      const body = await (await app.handle(new Request("http://localhost/readyz"))).json();
      return body.checks.sandbox as Record<string, unknown>;
    } finally {
      await sandbox.close();
    }
  };

  test("/readyz says what bounds a sandbox run: a microVM on E2B", async () => {
    const e2b = createSandbox(createE2BRunner({ apiKey: "e2b_test_key", logger: silentLogger() }));
    expect(await sandboxCheck(e2b)).toMatchObject({ ok: true, kind: "e2b", isolation: "microvm" });
  });

  test.skipIf(Boolean(sandboxSkipReason()))(
    "/readyz says rlimit, after one warning, when no cgroup can be made for the local runner",
    async () => {
      const { logger, lines } = captureLogger("info");
      const runner = createLocalRunner({
        logger,
        slots: 1,
        prestart: false,
        ...testInstance(),
        // A host with no cgroup hierarchy mounted at all.
        cgroupSources: { mountinfo: "", selfCgroup: "", pid: process.pid },
      });
      expect(await sandboxCheck(createSandbox(runner))).toMatchObject({
        ok: true,
        kind: "local",
        isolation: "rlimit",
      });
      const warnings = lines.filter((l) => l.level === "warn");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.msg).toContain("rlimits");
    },
  );

  test.skipIf(Boolean(sandboxSkipReason()))("/readyz says cgroup when each local run gets one", async () => {
    const runner = createLocalRunner({
      logger: silentLogger(),
      slots: 1,
      prestart: false,
      ...testInstance(),
    });
    const check = await sandboxCheck(createSandbox(runner));
    // This needs a host where root may create memory and pids cgroups (CI's does).
    expect(check).toMatchObject({ ok: true, kind: "local", isolation: "cgroup" });
  });
});
