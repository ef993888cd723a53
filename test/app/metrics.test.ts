import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ScriptedUpstream, startScriptedUpstream } from "../helpers/ai-upstream.ts";
import { createTestApp, type TestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";

/** The value of one sample line of the Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return undefined;
}

describe("/metrics", () => {
  let t: TestApp;
  let upstream: ScriptedUpstream;
  const scrape = async () => {
    const res = await t.request("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    return res.text();
  };

  beforeAll(async () => {
    upstream = startScriptedUpstream();
    t = await createTestApp({
      AI_BASE_URL: upstream.url,
      AI_MODEL_PRIMARY: "m-primary",
      AI_MODEL_FALLBACK: "m-fallback",
      AI_MODEL_FAST: "m-fast",
      AI_PRICES: JSON.stringify({ "m-fast": { input: 1, output: 2 }, "m-primary": { input: 1, output: 2 } }),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await upstream?.stop();
  });

  test("counts HTTP requests by route pattern, method and status, with a duration histogram", async () => {
    await t.request("/healthz");
    await t.request("/healthz");
    await t.request("/no/such/page/12345");
    const text = await scrape();
    expect(
      sample(text, "aura_http_requests_total", { method: "GET", route: "/healthz", status: "200" }),
    ).toBe(2);
    // Unmatched paths share one label instead of one series per URL.
    expect(text).not.toContain("/no/such/page");
    expect(sample(text, "aura_http_requests_total", { route: "(unmatched)", status: "404" })).toBe(1);
    expect(sample(text, "aura_http_request_duration_seconds_count", { route: "/healthz" })).toBe(2);
    expect(text).toContain("process_resident_memory_bytes");
    expect(text).toContain("aura_index_queue_depth");
    expect(text).toContain("aura_sandbox_queue_depth");
  });

  test("counts AI tokens and cost by model, cache hits and misses, and failovers", async () => {
    const user = await registerUser(t);
    const project = await api(t, user.auth).project();
    upstream.script("m-fast", { kind: "status", status: 503 });
    upstream.script("m-fallback", {
      kind: "reply",
      chunks: ["x"],
      usage: { prompt_tokens: 40, completion_tokens: 2 },
    });
    const body = { projectId: project.id, code: "const a = ", language: "javascript", cursorPosition: 10 };
    for (let i = 0; i < 2; i++) {
      const res = await api(t, user.auth).post("/api/v1/ai/complete", body);
      expect(res.status).toBe(200);
    }
    const text = await scrape();
    expect(sample(text, "aura_ai_failovers_total", { model: "m-fast" })).toBe(1);
    expect(sample(text, "aura_ai_tokens_total", { model: "m-fallback", direction: "input" })).toBe(40);
    expect(sample(text, "aura_ai_tokens_total", { model: "m-fallback", direction: "output" })).toBe(2);
    expect(sample(text, "aura_ai_cache_total", { result: "miss" })).toBe(1);
    expect(sample(text, "aura_ai_cache_total", { result: "hit" })).toBe(1);
    expect(sample(text, "aura_ai_cost_cents_total", { model: "m-fallback" })).toBeGreaterThanOrEqual(0);
  });

  test.skipIf(Boolean(sandboxSkipReason()))(
    "counts sandbox runs by language and outcome",
    async () => {
      const user = await registerUser(t);
      const run = (code: string) =>
        api(t, user.auth).post("/api/v1/sandbox/execute", { code, language: "python", timeout: 5 });
      expect((await run("print(1)")).status).toBe(200);
      expect((await run("raise SystemExit(3)")).status).toBe(200);
      const text = await scrape();
      expect(sample(text, "aura_sandbox_runs_total", { language: "python", outcome: "success" })).toBe(1);
      expect(sample(text, "aura_sandbox_runs_total", { language: "python", outcome: "error" })).toBe(1);
    },
    30_000,
  );
  if (sandboxSkipReason()) console.warn(`sandbox metrics skipped: ${sandboxSkipReason()}`);

  test("with METRICS_TOKEN set, a matching bearer token is required", async () => {
    const guarded = await createTestApp({ METRICS_TOKEN: "s3cret-token" });
    try {
      expect((await guarded.request("/metrics")).status).toBe(401);
      const wrong = await guarded.request("/metrics", { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      const right = await guarded.request("/metrics", { headers: { authorization: "Bearer s3cret-token" } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain("aura_http_requests_total");
    } finally {
      await guarded.close();
    }
  }, 30_000);
});
