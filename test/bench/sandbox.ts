/**
 * Sandbox benchmark: the latency of `print(1)` through `POST /api/v1/sandbox/execute`
 * against a bare `/usr/bin/python3 -c 'print(1)'` spawn in the same run (target ≤ 1.6×), the
 * same for JavaScript against a bare `bun -e`, then 20 concurrent runs (all must succeed) and
 * the throughput in runs/s. Samples are interleaved so machine noise hits both sides, with a
 * pause before each. The local runner starts each slot's next sandbox ahead of its run, so a
 * single run pays only for its runtime; back-to-back runs (the concurrent part) pay in full.
 * Needs root and bubblewrap, as the local runner does. Run: `bun test/bench/sandbox.ts`
 * (RUNS=n rounds, default 25).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, freePort, median, stop, waitForStatus } from "./helpers.ts";

const RUNS = Number(process.env.RUNS ?? 25);
const CONCURRENT = 20;
const PAUSE_MS = 150;
const TARGET_RATIO = 1.6;
const root = join(import.meta.dir, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "aura-bench-sandbox-"));

const port = freePort();
const app = Bun.spawn(["bun", "src/index.ts"], {
  cwd: root,
  env: cleanEnv({
    PORT: String(port),
    DATA_DIR: join(scratch, "data"),
    LOG_LEVEL: "warn",
    RATE_LIMIT_EDITOR: "1000000/1m",
    RATE_LIMIT_API: "1000000/1m",
    RATE_LIMIT_REGISTER: "1000/1h",
  }),
  stdout: "ignore",
  stderr: "inherit",
});
const base = `http://127.0.0.1:${port}`;

async function register(): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `bench-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      firstName: "B",
      lastName: "M",
    }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

interface Result {
  success: boolean;
  stdout: string;
  stderr: string;
  error?: string;
}

/** One run through the API; returns milliseconds from request to the complete JSON answer. */
async function viaApi(token: string, language: "python" | "javascript", code: string) {
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/sandbox/execute`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ language, code }),
  });
  const result = (await res.json()) as Result;
  const ms = performance.now() - started;
  if (res.status !== 200 || !result.success || result.stdout !== "1\n")
    throw new Error(`run failed: ${res.status} ${JSON.stringify(result)}`);
  return ms;
}

/** One bare spawn of the same program, no sandbox; milliseconds from spawn to exit with output read. */
async function bare(cmd: string[]) {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "ignore", env: cleanEnv({}) });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  const ms = performance.now() - started;
  if (out !== "1\n") throw new Error(`bare ${cmd[0]} printed ${JSON.stringify(out)}`);
  return ms;
}

const round = (n: number) => Math.round(n * 10) / 10;

try {
  await waitForStatus(`${base}/readyz`, { since: performance.now(), timeoutMs: 60_000, proc: app });
  const status = (await (
    await fetch(`${base}/api/v1/sandbox/status`, { headers: { authorization: `Bearer ${await register()}` } })
  ).json()) as { available: boolean; reason?: string; runner: string };
  if (!status.available) throw new Error(`the sandbox is unavailable: ${status.reason}`);
  const token = await register();

  const languages = [
    { language: "python" as const, code: "print(1)", bare: ["/usr/bin/python3", "-c", "print(1)"] },
    {
      language: "javascript" as const,
      code: "console.log(1)",
      bare: [process.execPath, "-e", "console.log(1)"],
    },
  ];
  const latency: Record<string, { apiMs: number; bareMs: number; ratio: number; pass: boolean }> = {};
  for (const l of languages) {
    // Warm both paths (page cache, JIT, the runner's probe).
    for (let i = 0; i < 3; i++) {
      await viaApi(token, l.language, l.code);
      await bare(l.bare);
    }
    const api: number[] = [];
    const plain: number[] = [];
    // A pause before each sample lets the server finish starting the slot's next sandbox (as
    // between a person's runs) so neither side is measured while the other still uses the CPU.
    for (let i = 0; i < RUNS; i++) {
      await Bun.sleep(PAUSE_MS);
      api.push(await viaApi(token, l.language, l.code));
      await Bun.sleep(PAUSE_MS);
      plain.push(await bare(l.bare));
    }
    const apiMs = median(api);
    const bareMs = median(plain);
    latency[l.language] = {
      apiMs: round(apiMs),
      bareMs: round(bareMs),
      ratio: Math.round((apiMs / bareMs) * 100) / 100,
      pass: apiMs / bareMs <= TARGET_RATIO,
    };
  }

  // 20 concurrent runs from 10 users (the per-user limit is 2), half Python, half JavaScript.
  const users = await Promise.all(Array.from({ length: CONCURRENT / 2 }, register));
  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: CONCURRENT }, (_, i) =>
      viaApi(
        users[i % users.length]!,
        i % 2 ? "javascript" : "python",
        i % 2 ? "console.log(1)" : "print(1)",
      ),
    ),
  );
  const wallMs = performance.now() - started;
  const succeeded = outcomes.filter((o) => o.status === "fulfilled").length;
  const concurrent = {
    runs: CONCURRENT,
    succeeded,
    wallMs: Math.round(wallMs),
    runsPerSecond: round(CONCURRENT / (wallMs / 1000)),
    pass: succeeded === CONCURRENT,
  };

  console.log(`sandbox (${status.runner} runner), median of ${RUNS}, ${navigator.hardwareConcurrency} cores`);
  for (const [language, r] of Object.entries(latency)) {
    console.log(
      `${language.padEnd(11)} via API ${String(r.apiMs).padStart(6)} ms   bare spawn ${String(r.bareMs).padStart(6)} ms   ${r.ratio}×  (≤ ${TARGET_RATIO}×: ${r.pass ? "PASS" : "MISS"})`,
    );
  }
  console.log(
    `${CONCURRENT} concurrent runs: ${succeeded}/${CONCURRENT} succeeded in ${concurrent.wallMs} ms = ${concurrent.runsPerSecond} runs/s (${concurrent.pass ? "PASS" : "FAIL"})`,
  );
  for (const o of outcomes) if (o.status === "rejected") console.log(`  failed: ${o.reason}`);
  mkdirSync(join(import.meta.dir, "results"), { recursive: true });
  writeFileSync(
    join(import.meta.dir, "results", "sandbox.json"),
    `${JSON.stringify({ at: new Date().toISOString(), runner: status.runner, runs: RUNS, cores: navigator.hardwareConcurrency, latency, concurrent }, null, 2)}\n`,
  );
} finally {
  await stop(app);
  rmSync(scratch, { recursive: true, force: true });
}
