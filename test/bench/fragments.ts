/**
 * wrk against the authenticated "open file" fragment (a 20 KB file) and the dashboard fragment,
 * beside a raw Bun.serve hello in the same run. Run: `bun test/bench/fragments.ts`.
 * Targets: open-file ≥ 50% of hello's throughput, p99 ≤ 20 ms at 50 connections.
 *
 * A second baseline, a raw Bun.serve answering a constant string as large as the open-file
 * fragment, shows what moving that many bytes costs before any work is done.
 * BENCH_DATABASE_URL runs Aura on PostgreSQL; BENCH_PROFILE=<dir> writes a CPU profile of Aura.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, formLoginCookies, freePort, stop, waitForStatus } from "./helpers.ts";

const root = join(import.meta.dir, "..", "..");
const DURATION = process.env.BENCH_DURATION ?? "10s";
const scratch = mkdtempSync(join(tmpdir(), "aura-bench-"));

function spawnServer(cmd: string[], env: Record<string, string>) {
  return Bun.spawn(cmd, { cwd: root, env: cleanEnv(env), stdout: "ignore", stderr: "inherit" });
}

/** Run wrk with a Lua script that sends the given headers; returns req/s and p99 in ms. */
async function wrk(url: string, headers: Record<string, string>) {
  const lua = join(scratch, `headers-${crypto.randomUUID()}.lua`);
  writeFileSync(
    lua,
    Object.entries(headers)
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
      .join("\n"),
  );
  // A first, discarded run warms the JIT and the server's caches, as a live server would be.
  await Bun.spawn(["wrk", "-t1", "-c50", "-d2s", "-s", lua, url], { stdout: "ignore" }).exited;
  const proc = Bun.spawn(["wrk", "-t1", "-c50", `-d${DURATION}`, "--latency", "-s", lua, url], {
    stdout: "pipe",
  });
  const out = await new Response(proc.stdout).text();
  if (process.env.BENCH_VERBOSE) console.log(out);
  await proc.exited;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)/m.exec(out);
  const p99Ms = p99
    ? Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[p99[2]!]!
    : Number.NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { rps: Math.round(rps), p99Ms: Math.round(p99Ms * 100) / 100, non2xx };
}

const helloPort = freePort();
const hello = spawnServer(
  [
    "bun",
    "-e",
    `Bun.serve({ port: ${helloPort}, hostname: "127.0.0.1", fetch: () => new Response("hello") })`,
  ],
  {},
);
// Started once the fragment's size is known (below).
const samePort = freePort();
let same: ReturnType<typeof spawnServer> | undefined;
const appPort = freePort();
const dataDir = join(scratch, "data");
mkdirSync(dataDir);
const app = spawnServer(
  [
    "bun",
    ...(process.env.BENCH_PROFILE ? ["--cpu-prof-md", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    "src/index.ts",
  ],
  {
    PORT: String(appPort),
    DATA_DIR: dataDir,
    // Production defaults otherwise: the access log is on (info), written to a pipe nobody reads.
    ...(process.env.BENCH_LOG_LEVEL ? { LOG_LEVEL: process.env.BENCH_LOG_LEVEL } : {}),
    RATE_LIMIT_EDITOR: "100000000/1m",
    RATE_LIMIT_API: "100000/1m",
    // BENCH_DATABASE_URL measures the same against PostgreSQL instead of the embedded PGlite.
    ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
  },
);
const base = `http://127.0.0.1:${appPort}`;
try {
  await waitForStatus(`http://127.0.0.1:${helloPort}/`, { since: performance.now(), timeoutMs: 10_000 });
  await waitForStatus(`${base}/readyz`, { since: performance.now(), timeoutMs: 60_000, proc: app });

  // A user: token for the JSON face, session cookies from the login form for the HTML face.
  const account = {
    email: `bench-${Date.now()}@example.com`,
    password: "correct horse battery",
    firstName: "B",
    lastName: "M",
  };
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  if (reg.status !== 201 && reg.status !== 200)
    throw new Error(`register answered ${reg.status}: ${await reg.text()}`);
  const { token } = (await reg.json()) as { token: string };
  const cookie = await formLoginCookies(base, account.email, account.password);
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const project = (await (
    await fetch(`${base}/api/v1/projects`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: "Bench", language: "javascript" }),
    })
  ).json()) as { id: string };
  const line = "export const value = 'a line of a twenty kilobyte file';\n";
  const content = line.repeat(Math.ceil(20_480 / line.length)).slice(0, 20_480);
  const put = await fetch(`${base}/api/v1/projects/${project.id}/files/src/big.js`, {
    method: "PUT",
    headers: auth,
    body: JSON.stringify({ content }),
  });
  if (put.status !== 200) throw new Error(`seeding the 20 KB file answered ${put.status}`);

  const hx = { cookie, "hx-request": "true" };
  const openUrl = `${base}/projects/${project.id}/open?file=src%2Fbig.js`;
  const check = await fetch(openUrl, { headers: hx });
  const size = (await check.text()).length;
  if (check.status !== 200 || size < 20_480)
    throw new Error(`open-file fragment answered ${check.status}, ${size} bytes`);

  same = spawnServer(
    [
      "bun",
      "-e",
      `const body = "x".repeat(${size}); Bun.serve({ port: ${samePort}, hostname: "127.0.0.1", fetch: () => new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } }) })`,
    ],
    {},
  );
  await waitForStatus(`http://127.0.0.1:${samePort}/`, { since: performance.now(), timeoutMs: 10_000 });

  const results = {
    hello: await wrk(`http://127.0.0.1:${helloPort}/`, {}),
    sameSize: await wrk(`http://127.0.0.1:${samePort}/`, {}),
    openFile: await wrk(openUrl, hx),
    dashboard: await wrk(`${base}/projects`, hx),
  };
  const ratio = results.openFile.rps / results.hello.rps;
  const pass = { throughput: ratio >= 0.5, p99: results.openFile.p99Ms <= 20 };
  const row = (name: string, r: { rps: number; p99Ms: number; non2xx: number }) =>
    console.log(
      `${name.padEnd(26)} ${String(r.rps).padStart(8)} req/s  ${((r.rps / results.hello.rps) * 100).toFixed(0).padStart(4)}% of hello  p99 ${r.p99Ms} ms${r.non2xx ? `  (${r.non2xx} non-2xx!)` : ""}`,
    );
  console.log(`wrk -t1 -c50 -d${DURATION}, ${navigator.hardwareConcurrency} cores`);
  row("Bun.serve hello", results.hello);
  row(`Bun.serve ${(size / 1024).toFixed(1)} KB constant`, results.sameSize);
  row("open-file (20 KB)", results.openFile);
  row("dashboard fragment", results.dashboard);
  console.log(
    `open-file throughput ≥ 50% of hello: ${pass.throughput ? "PASS" : "MISS"} (${(ratio * 100).toFixed(1)}%)`,
  );
  console.log(`open-file p99 ≤ 20 ms: ${pass.p99 ? "PASS" : "MISS"} (${results.openFile.p99Ms} ms)`);
  mkdirSync(join(import.meta.dir, "results"), { recursive: true });
  writeFileSync(
    join(import.meta.dir, "results", "fragments.json"),
    `${JSON.stringify({ at: new Date().toISOString(), duration: DURATION, connections: 50, cores: navigator.hardwareConcurrency, fragmentBytes: size, ...results, openFileRatio: Math.round(ratio * 1000) / 1000, pass }, null, 2)}\n`,
  );
} finally {
  await stop(app);
  await stop(hello);
  if (same) await stop(same);
  rmSync(scratch, { recursive: true, force: true });
}
