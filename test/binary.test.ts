import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { cleanEnv, ensureBinary, freePort, stop, waitForStatus } from "./bench/helpers.ts";
import { type ScriptedUpstream, startScriptedUpstream } from "./helpers/ai-upstream.ts";
import { sandboxSkipReason } from "./helpers/sandbox.ts";

// The compiled binary, copied alone into an empty directory: anything it still needed from
// the checkout (node_modules, views, migrations, PGlite's files, the worker) would fail here.
let dir: string;
let proc: Subprocess<"ignore", "pipe", "pipe"> | undefined;
let base: string;
/** Everything the binary printed, drained continuously so a full pipe never blocks it. */
let output = "";
let drained: Promise<unknown> = Promise.resolve();
/** The AI upstream the binary talks to; it reports no usage, so the binary counts tokens itself. */
let upstream: ScriptedUpstream;

async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read())
    output += decoder.decode(read.value, { stream: true });
}

beforeAll(async () => {
  const binary = await ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "aura-binary-"));
  // The binary is also the sandbox's Bun: a run's uid must be able to reach it.
  chmodSync(dir, 0o755);
  copyFileSync(binary, join(dir, "aura"));
  const port = freePort();
  base = `http://127.0.0.1:${port}`;
  upstream = startScriptedUpstream();
  proc = Bun.spawn([join(dir, "aura")], {
    cwd: dir,
    env: cleanEnv({
      HOME: dir,
      PORT: String(port),
      DATA_DIR: join(dir, "data"),
      AI_BASE_URL: upstream.url,
      AI_API_KEY: "binary-test-key",
      AI_MODEL_FAST: "m-fast",
      AI_PRICES: JSON.stringify({ "m-fast": { input: 1, output: 2 } }),
    }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  drained = Promise.all([drain(proc.stdout), drain(proc.stderr)]);
}, 120_000);

afterAll(async () => {
  if (proc) await stop(proc, 1_000);
  await upstream?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the single binary, run from an empty directory", () => {
  test("answers /healthz as soon as it listens", async () => {
    await waitForStatus(`${base}/healthz`, { since: performance.now(), timeoutMs: 10_000, proc });
  });

  test("opens the embedded database on first run and reports ready", async () => {
    try {
      await waitForStatus(`${base}/readyz`, {
        since: performance.now(),
        timeoutMs: 60_000,
        everyMs: 100,
        proc,
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${output.split("\n").slice(0, 40).join("\n")}`);
    }
    const body = (await (await fetch(`${base}/readyz`)).json()) as {
      checks: { database: { ok: boolean; kind: string }; sandbox: Record<string, unknown> };
    };
    expect(body.checks.database).toMatchObject({ ok: true, kind: "pglite" });
    // The seccomp filter is compiled through bun:ffi, which must work inside the binary too.
    if (!sandboxSkipReason())
      expect(body.checks.sandbox).toMatchObject({ ok: true, kind: "local", seccomp: true });
  }, 70_000);

  test("serves the landing page and its stylesheet with an immutable cache", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>Aura</title>");
    const css = html.match(/\/assets\/[\w.-]+\.css/)?.[0];
    expect(css).toBeDefined();
    const asset = await fetch(`${base}${css}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await asset.text()).length).toBeGreaterThan(0);
  });

  test("counts tokens itself when the upstream reports none (the tokenizer is its own embedded module)", async () => {
    const json = (path: string, body: unknown, token?: string) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const registered = await json("/api/v1/auth/register", {
      email: `binary-${crypto.randomUUID()}@example.test`,
      password: "a long enough password",
      firstName: "Bin",
      lastName: "Ary",
    });
    expect(registered.status).toBe(201);
    const { token } = (await registered.json()) as { token: string };
    const created = await json("/api/v1/projects", { name: "Counted", language: "javascript" }, token);
    expect(created.status).toBe(201);
    const project = (await created.json()) as { id: string };
    upstream.script("m-fast", { kind: "reply", chunks: ["const answer = 42;"], usage: false });
    const code = "// the answer\n";
    const res = await json(
      "/api/v1/ai/complete",
      { projectId: project.id, code, language: "js", cursorPosition: code.length },
      token,
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { cost: number }).cost).toBeGreaterThan(0);
  }, 30_000);

  test("exits 0 on SIGTERM after draining", async () => {
    const running = proc!;
    running.kill("SIGTERM");
    const exited = await Promise.race([running.exited, Bun.sleep(5_000).then(() => "timeout" as const)]);
    expect(exited).toBe(0);
    await drained;
    expect(output).toContain('"msg":"stopped"');
  }, 10_000);
});
