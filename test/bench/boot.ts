/**
 * Boot benchmark: exec → first 200 on /healthz and on /readyz, and idle RSS, for dist/aura
 * (a) on PostgreSQL, (b) embedded with an existing data dir, (c) embedded on first run —
 * each run paired with a minimal compiled Bun.serve binary in the same round, interleaved
 * so that machine noise hits both. Writes test/bench/results/boot.json.
 * Run: `bun test/bench/boot.ts` (RUNS=n to change the number of rounds).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { cleanEnv, ensureBinary, freePort, median, peakMb, rssMb, stop, waitForStatus } from "./helpers.ts";

const RUNS = Number(process.env.RUNS ?? 7);
const IDLE_MS = 2_000;
const ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TARGETS = { postgresRatio: 1.3, existingReadyMs: 1_000, idleRssMb: 120 };

interface Sample {
  healthMs: number;
  readyMs?: number;
  rssMb?: number;
  peakRssMb?: number;
}

interface Boot {
  binary: string;
  env: Record<string, string>;
  ready: boolean;
  rss: boolean;
}

/** Start one binary, time it to /healthz (and /readyz), read RSS after idling, stop it. */
async function measure(boot: Boot): Promise<Sample> {
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const since = performance.now();
  const proc = Bun.spawn([boot.binary], {
    cwd: boot.env.HOME,
    env: cleanEnv({ ...boot.env, PORT: String(port) }),
    stdin: "ignore",
    stdout: "ignore",
    stderr: "ignore",
  });
  try {
    const sample: Sample = {
      healthMs: await waitForStatus(`${base}/healthz`, { since, timeoutMs: 15_000, proc }),
    };
    if (boot.ready)
      sample.readyMs = await waitForStatus(`${base}/readyz`, { since, timeoutMs: 60_000, proc });
    if (boot.rss) {
      await Bun.sleep(IDLE_MS);
      sample.rssMb = rssMb(proc.pid);
      sample.peakRssMb = peakMb(proc.pid);
    }
    return sample;
  } finally {
    await stop(proc);
  }
}

async function compileHello(dir: string): Promise<string> {
  const source = join(dir, "hello.ts");
  writeFileSync(
    source,
    'Bun.serve({\n  port: Number(process.env.PORT),\n  fetch: () => new Response("ok"),\n});\n',
  );
  const out = join(dir, "hello");
  const proc = Bun.spawnSync(["bun", "build", "--compile", "--minify", source, "--outfile", out]);
  if (proc.exitCode !== 0) throw new Error(`hello build failed: ${proc.stderr.toString()}`);
  return out;
}

/** A fresh database for this run, or undefined when no PostgreSQL answers. */
async function createDatabase(name: string): Promise<string | undefined> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await admin.unsafe(`create database ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return url.href;
  } catch (err) {
    console.warn(`PostgreSQL unavailable, skipping (a): ${(err as Error).message}`);
    return undefined;
  } finally {
    await admin.end();
  }
}

async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`).finally(() => admin.end());
}

const fmt = (ms: number | undefined) => (ms === undefined ? "—" : `${Math.round(ms)} ms`);
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

async function main() {
  const aura = await ensureBinary();
  const work = mkdtempSync(join(tmpdir(), "aura-bench-"));
  const dbName = `aura_bench_${Date.now()}`;
  let databaseUrl: string | undefined;
  try {
    const hello = await compileHello(work);
    databaseUrl = await createDatabase(dbName);
    // One warm boot each: the page cache holds both binaries, PostgreSQL gets its migrations,
    // and the embedded template data dir is initialized once.
    const template = join(work, "template");
    await measure({ binary: aura, env: { HOME: work, DATA_DIR: template }, ready: true, rss: false });
    if (databaseUrl)
      await measure({
        binary: aura,
        env: { HOME: work, DATA_DIR: join(work, "pg-data"), DATABASE_URL: databaseUrl },
        ready: true,
        rss: false,
      });
    await measure({ binary: hello, env: { HOME: work }, ready: false, rss: false });

    const scenarios = {
      a: {
        label: "(a) PostgreSQL",
        rss: true,
        env: () => ({ DATA_DIR: join(work, "pg-data"), DATABASE_URL: databaseUrl! }),
      },
      b: {
        label: "(b) embedded, existing data",
        rss: true,
        env: (i: number) => {
          const dir = join(work, `existing-${i}`);
          cpSync(template, dir, { recursive: true });
          return { DATA_DIR: dir };
        },
      },
      c: {
        label: "(c) embedded, first run",
        rss: true,
        env: (i: number) => ({ DATA_DIR: join(work, `fresh-${i}`) }),
      },
    } as const;
    const keys = (Object.keys(scenarios) as (keyof typeof scenarios)[]).filter(
      (k) => k !== "a" || databaseUrl,
    );
    const results = Object.fromEntries(keys.map((k) => [k, { aura: [] as Sample[], hello: [] as Sample[] }]));

    for (let i = 0; i < RUNS; i++) {
      for (const key of keys) {
        const s = scenarios[key];
        const env = { HOME: work, ...s.env(i) };
        // Alternate which binary goes first so neither always runs on a just-warmed CPU.
        const order = i % 2 === 0 ? (["hello", "aura"] as const) : (["aura", "hello"] as const);
        for (const which of order) {
          const boot =
            which === "hello"
              ? { binary: hello, env: { HOME: work }, ready: false, rss: s.rss }
              : { binary: aura, env, ready: true, rss: s.rss };
          results[key]![which].push(await measure(boot));
        }
      }
      process.stdout.write(`round ${i + 1}/${RUNS}\r`);
    }

    const summary = keys.map((key) => {
      const { aura: a, hello: h } = results[key]!;
      const pick = (xs: Sample[], f: (s: Sample) => number | undefined) => {
        const vs = xs.map(f).filter((v): v is number => v !== undefined);
        return vs.length ? median(vs) : undefined;
      };
      const healthMs = pick(a, (s) => s.healthMs)!;
      const helloMs = pick(h, (s) => s.healthMs)!;
      return {
        scenario: key,
        label: scenarios[key].label,
        healthMs,
        helloHealthMs: helloMs,
        ratio: healthMs / helloMs,
        readyMs: pick(a, (s) => s.readyMs),
        rssMb: pick(a, (s) => s.rssMb),
        peakRssMb: pick(a, (s) => s.peakRssMb),
        helloRssMb: pick(h, (s) => s.rssMb),
        samples: { aura: a, hello: h },
      };
    });

    const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd(i === 0 ? 30 : 12)).join(""));
    console.log(`\nboot, median of ${RUNS} (exec → first 200), ${cpus().length} cores, bun ${Bun.version}`);
    row(["scenario", "/healthz", "hello", "ratio", "/readyz", "idle RSS", "peak RSS", "hello RSS"]);
    for (const s of summary)
      row([
        s.label,
        fmt(s.healthMs),
        fmt(s.helloHealthMs),
        `${s.ratio.toFixed(2)}×`,
        fmt(s.readyMs),
        s.rssMb === undefined ? "—" : `${s.rssMb.toFixed(0)} MB`,
        s.peakRssMb === undefined ? "—" : `${s.peakRssMb.toFixed(0)} MB`,
        s.helloRssMb === undefined ? "—" : `${s.helloRssMb.toFixed(0)} MB`,
      ]);

    const get = (k: string) => summary.find((s) => s.scenario === k);
    const checks = [
      {
        target: `(a) /healthz ≤ ${TARGETS.postgresRatio}× hello`,
        value: get("a")?.ratio,
        ok: (v: number) => v <= TARGETS.postgresRatio,
      },
      {
        target: `(b) /readyz ≤ ${TARGETS.existingReadyMs} ms`,
        value: get("b")?.readyMs,
        ok: (v: number) => v <= TARGETS.existingReadyMs,
      },
      {
        target: `(a) idle RSS ≤ ${TARGETS.idleRssMb} MB`,
        value: get("a")?.rssMb,
        ok: (v: number) => v <= TARGETS.idleRssMb,
      },
      {
        target: `(b) idle RSS ≤ ${TARGETS.idleRssMb} MB`,
        value: get("b")?.rssMb,
        ok: (v: number) => v <= TARGETS.idleRssMb,
      },
    ].map((c) => ({ target: c.target, value: c.value, pass: c.value === undefined ? null : c.ok(c.value) }));
    console.log("");
    for (const c of checks)
      console.log(
        `${c.pass === null ? "SKIP" : verdict(c.pass)}  ${c.target}: ${c.value?.toFixed(2) ?? "not measured"}`,
      );

    const outDir = join(import.meta.dir, "results");
    mkdirSync(outDir, { recursive: true });
    const report = {
      date: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model, bun: Bun.version },
      runs: RUNS,
      binaryMb: Number((statSync(aura).size / 1024 / 1024).toFixed(1)),
      method:
        "exec → first 200, polled every 3 ms; idle RSS = VmRSS after ready + 2 s idle, peak RSS = VmHWM then; medians",
      summary,
      checks,
    };
    writeFileSync(join(outDir, "boot.json"), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${join("test", "bench", "results", "boot.json")}`);
  } finally {
    if (databaseUrl) await dropDatabase(dbName);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
