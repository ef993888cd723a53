/**
 * Soak benchmark: SOAK_SECONDS (60) of mixed load on one server process
 * (`bun src/index.ts`, embedded PGlite and in-process cache in a temp DATA_DIR; with
 * DATABASE_URL a fresh database is created on that server and dropped afterwards; REDIS_URL is
 * used as given — point it at a database index nobody else uses). Concurrently, for the whole
 * duration:
 *
 * - wrk: `wrk -t1 -c$WRK_CONNECTIONS` (20) on the open-file fragment of a 20 KB file, with the
 *   session cookies of a form login, as the editor loads it;
 * - chat: a pool that keeps CHAT_STREAMS (200) chat streams open (`POST /api/v1/ai/chat`,
 *   Accept: text/event-stream, from CHAT_USERS users with a project each); the scripted
 *   upstream of test/helpers/ai-upstream.ts (served by this process over real HTTP) streams each
 *   answer as STREAM_CHUNKS (20) deltas STREAM_DELAY_MS (250) apart, ≈5 s; a finished stream is
 *   replaced at once by a new one with a new message (so the AI cache never answers);
 * - sandbox: SANDBOX_WORKERS (2) loops of `POST /api/v1/sandbox/execute`, Python and JavaScript
 *   in turn, each from its own user (skipped, with the reason printed, when the server's
 *   sandbox is unavailable: the local runner needs root and bubblewrap);
 * - saves: SAVE_WORKERS (2) loops of `PUT /api/v1/projects/:id/files/*path` over 20 files of
 *   one project, each save new content of 2–12 KB.
 *
 * Errors: wrk's non-2xx responses and socket errors (connect, read, write, timeout with
 * --timeout 10s); a chat whose answer is not 200, has an `error` event or lacks `done`; a run
 * that does not answer 200 with success and the expected stdout; a save that does not answer
 * 200 with the next version; any failed fetch. Loads stop starting new requests at the end of
 * the window and their last requests are awaited and counted.
 *
 * Memory: the server's VmRSS (/proc/<pid>/status, threads — the PGlite worker — included) every
 * second from the start of the load. Target: 0 errors and RSS growth ≤ 10% from the 20th second
 * to the last. RSS saws up and down by tens of MB as the collector runs (±5–10% here), so a
 * single sample at each end decides nothing: the growth judged is from the median of the samples
 * of seconds 15–25 to the median of the last 10 s; the two single samples and the least-squares
 * slope are reported beside it. For context: RSS idle after boot, and after the setup and a
 * warm-up, before the load. The server is started once to create its data directory and again on it (the first
 * run's initdb leaves hundreds of MB resident for a while, which says nothing about serving).
 *
 * Run: `bun test/bench/soak.ts`. Writes test/bench/results/soak.json (only for the full mix;
 * SOAK_OUT=<path> writes any run). SOAK_LOADS=wrk,chat,sandbox,save picks the loads (to find
 * which one grows memory); SOAK_LOG_LEVEL sets the server's LOG_LEVEL (default: its own, info,
 * as in production; the log goes to a file and its warn/error lines are counted);
 * SOAK_SAVE_INDEXING=off turns code indexing off for the saved project (to see what indexing
 * each save costs). The server's JS heap is read from its /metrics every 2 s for context.
 * The chat pool needs more than Bun's default 256 concurrent fetches in this process, so the
 * script re-executes itself with BUN_CONFIG_MAX_HTTP_REQUESTS raised; the server keeps its default.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Step, startScriptedUpstream } from "../helpers/ai-upstream.ts";
import { createTestPostgresDatabase } from "../helpers/db.ts";
import { type ServerProcess, spawnServer } from "../helpers/server-process.ts";
import { aiLoadEnv, formLoginCookies, median, rssMb } from "./helpers.ts";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WRK_CONNECTIONS = Number(process.env.WRK_CONNECTIONS ?? 20);
const CHAT_STREAMS = Number(process.env.CHAT_STREAMS ?? 200);
const CHAT_USERS = Number(process.env.CHAT_USERS ?? 20);
const STREAM_CHUNKS = Number(process.env.STREAM_CHUNKS ?? 20);
const STREAM_DELAY_MS = Number(process.env.STREAM_DELAY_MS ?? 250);
const SANDBOX_WORKERS = Number(process.env.SANDBOX_WORKERS ?? 2);
const SAVE_WORKERS = Number(process.env.SAVE_WORKERS ?? 2);
const SAVE_FILES = 20;
/** SOAK_SAVE_INDEXING=off switches code indexing off for the saved project (investigation). */
const SAVE_INDEXING_OFF = process.env.SOAK_SAVE_INDEXING === "off";
const ALL_LOADS = ["wrk", "chat", "sandbox", "save"] as const;
type Load = (typeof ALL_LOADS)[number];
const LOADS = new Set(
  (process.env.SOAK_LOADS ?? ALL_LOADS.join(",")).split(",").map((s) => s.trim()) as Load[],
);
const FULL_MIX = ALL_LOADS.every((l) => LOADS.has(l));
const TARGETS = { errors: 0, rssGrowthPct: 10 };
/** The second whose RSS the growth is measured from. */
const FROM_SECOND = Math.min(20, Math.floor(SECONDS / 3));

if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
  const child = Bun.spawn([process.execPath, import.meta.path], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.max(1024, CHAT_STREAMS * 2)) },
    stdio: ["inherit", "inherit", "inherit"],
  });
  process.exit(await child.exited);
}
if (!existsSync(join(import.meta.dir, "..", "..", "src", "generated", "assets.ts")))
  throw new Error("src/generated/assets.ts is missing: build the assets first (`bun install`)");
if (LOADS.has("wrk") && !Bun.which("wrk")) throw new Error("wrk is not installed (apt-get install wrk)");

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
const scratch = mkdtempSync(join(tmpdir(), "aura-soak-"));
const logFile = join(scratch, "server.log");

const upstream = startScriptedUpstream();
const database = process.env.DATABASE_URL
  ? await createTestPostgresDatabase(process.env.DATABASE_URL)
  : undefined;
const env = {
  ...aiLoadEnv(upstream.url, "soak"),
  ...(process.env.SOAK_LOG_LEVEL ? { LOG_LEVEL: process.env.SOAK_LOG_LEVEL } : {}),
  ...(database ? { DATABASE_URL: database.url } : {}),
  ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
};
const dataDir = join(scratch, "data");
let server: ServerProcess | undefined;

// --- Users -----------------------------------------------------------------------------------------

interface User {
  auth: Record<string, string>;
  projectId: string;
}

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status)
    throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

async function newUser(base: string, email = `soak-${crypto.randomUUID()}@example.com`): Promise<User> {
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "correct horse battery", firstName: "S", lastName: "K" }),
  });
  await expectStatus(reg, 201, "register");
  const { token } = (await reg.json()) as { token: string };
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const res = await fetch(`${base}/api/v1/projects`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ name: "Soak", language: "javascript" }),
  });
  await expectStatus(res, 201, "create project");
  return { auth, projectId: ((await res.json()) as { id: string }).id };
}

/** Session cookies from the login form, as a browser gets them. */
function formLogin(base: string, email: string): Promise<string> {
  return formLoginCookies(base, email, "correct horse battery");
}

// --- Load kinds --------------------------------------------------------------------------------------

interface Tally {
  requests: number;
  errors: number;
  errorSamples: string[];
  /** Milliseconds from request to the complete answer, per request. */
  ms: number[];
}
const tally = (): Tally => ({ requests: 0, errors: 0, errorSamples: [], ms: [] });

/** Nearest-rank percentiles of a tally's durations. */
function latency(t: Tally) {
  const sorted = [...t.ms].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return sorted.length
    ? { p50Ms: Math.round(pct(50)!), p95Ms: Math.round(pct(95)!), maxMs: Math.round(sorted.at(-1)!) }
    : {};
}
function fail(t: Tally, message: string) {
  t.errors++;
  if (t.errorSamples.length < 8) t.errorSamples.push(message.slice(0, 300));
}

/** Read an SSE body block by block (`event`, raw `data`) until it ends. */
async function readSse(body: ReadableStream<Uint8Array>, onBlock: (event: string, data: string) => void) {
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      onBlock(/^event: ?(.*)$/m.exec(block)?.[1] ?? "message", /^data: ?(.*)$/m.exec(block)?.[1] ?? "");
    }
  }
}

const answer: Step = {
  kind: "reply",
  chunks: Array.from({ length: STREAM_CHUNKS }, (_, i) => `word${i} `),
  delayMs: STREAM_DELAY_MS,
};
const expectedAnswer = (answer as { chunks: string[] }).chunks.join("");

/** One chat stream read to its end; counts it and any error in `t`. */
async function chat(base: string, user: User, n: number, t: Tally & { open: number }) {
  upstream.script("m-primary", answer);
  t.requests++;
  t.open++;
  const started = performance.now();
  try {
    const res = await fetch(`${base}/api/v1/ai/chat`, {
      method: "POST",
      headers: { ...user.auth, accept: "text/event-stream" },
      body: JSON.stringify({
        projectId: user.projectId,
        message: `Soak question ${n} (${crypto.randomUUID()})`,
      }),
      signal: AbortSignal.timeout(60_000),
    });
    if (res.status !== 200 || !res.body) return fail(t, `chat ${res.status}: ${await res.text()}`);
    let done: string | undefined;
    let error: string | undefined;
    await readSse(res.body, (event, data) => {
      if (event === "done") done = data;
      else if (event === "error") error = data;
    });
    if (error) return fail(t, `chat error event: ${error}`);
    if (!done) return fail(t, "chat ended without done");
    const body = JSON.parse(done) as { response?: string; cacheHit?: boolean };
    if (body.response !== expectedAnswer) fail(t, `chat answered ${JSON.stringify(body.response)}`);
  } catch (error) {
    fail(t, `chat: ${(error as Error).message}`);
  } finally {
    t.open--;
    t.ms.push(performance.now() - started);
  }
}

const PROGRAMS = [
  { language: "python", code: "import sys\nprint(sum(range(10)))\n", stdout: "45\n" },
  { language: "javascript", code: "console.log([1, 2, 3].map((x) => x * 2).join(','))\n", stdout: "2,4,6\n" },
] as const;

async function run(base: string, user: User, n: number, t: Tally) {
  const program = PROGRAMS[n % PROGRAMS.length]!;
  t.requests++;
  const started = performance.now();
  try {
    const res = await fetch(`${base}/api/v1/sandbox/execute`, {
      method: "POST",
      headers: user.auth,
      body: JSON.stringify({ language: program.language, code: program.code }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status !== 200) return fail(t, `run ${res.status}: ${text}`);
    const result = JSON.parse(text) as { success?: boolean; stdout?: string };
    if (!result.success || result.stdout !== program.stdout) fail(t, `run failed: ${text}`);
  } catch (error) {
    fail(t, `run: ${(error as Error).message}`);
  } finally {
    t.ms.push(performance.now() - started);
  }
}

async function save(base: string, user: User, path: string, version: number, n: number, t: Tally) {
  const line = `export const line${n} = "saved during the soak, save ${n}";\n`;
  const content = `// ${path} save ${n}\n${line.repeat(40 + ((n * 53) % 200))}`;
  t.requests++;
  const started = performance.now();
  try {
    const res = await fetch(`${base}/api/v1/projects/${user.projectId}/files/${path}`, {
      method: "PUT",
      headers: user.auth,
      body: JSON.stringify({ content, baseVersion: version }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (res.status !== 200) {
      fail(t, `save ${res.status}: ${text}`);
      return undefined;
    }
    const saved = JSON.parse(text) as { version: number };
    if (saved.version !== version + 1) fail(t, `save of v${version} answered v${saved.version}`);
    return saved.version;
  } catch (error) {
    fail(t, `save: ${(error as Error).message}`);
    return undefined;
  } finally {
    t.ms.push(performance.now() - started);
  }
}

interface WrkResult {
  requests: number;
  errors: number;
  non2xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  rps: number;
  p50Ms: number;
  p99Ms: number;
  raw: string;
}

function wrkMs(out: string, label: string): number {
  const m = new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
  return m
    ? round(Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]!]!, 2)
    : Number.NaN;
}

async function wrk(url: string, cookie: string, seconds: number): Promise<WrkResult> {
  const lua = join(scratch, "wrk-headers.lua");
  writeFileSync(
    lua,
    `wrk.headers["cookie"] = ${JSON.stringify(cookie)}\nwrk.headers["hx-request"] = "true"\n`,
  );
  const proc = Bun.spawn(
    ["wrk", "-t1", `-c${WRK_CONNECTIONS}`, `-d${seconds}s`, "--timeout", "10s", "--latency", "-s", lua, url],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = {
    connect: Number(sock?.[1] ?? 0),
    read: Number(sock?.[2] ?? 0),
    write: Number(sock?.[3] ?? 0),
    timeout: Number(sock?.[4] ?? 0),
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  if (proc.exitCode !== 0 || requests === 0) throw new Error(`wrk failed (${proc.exitCode}): ${out}${err}`);
  return {
    requests,
    errors: non2xx + Object.values(socketErrors).reduce((a, b) => a + b, 0),
    non2xx,
    socketErrors,
    rps: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)),
    p50Ms: wrkMs(out, "50%"),
    p99Ms: wrkMs(out, "99%"),
    raw: out,
  };
}

/**
 * Counts of the server log's warn, error and fatal lines from byte `offset` on (after /readyz
 * first answered 200: the polling before it logs 503s), and the first few of them.
 */
function logSummary(offset: number): { warn: number; error: number; fatal: number; samples: string[] } {
  const counts = { warn: 0, error: 0, fatal: 0, samples: [] as string[] };
  let text = "";
  try {
    text = readFileSync(logFile).subarray(offset).toString("utf8");
  } catch {
    return counts;
  }
  for (const line of text.split("\n")) {
    const level = /"level":"(warn|error|fatal)"/.exec(line)?.[1] as "warn" | "error" | "fatal" | undefined;
    if (!level) {
      // Anything that is not a JSON log line (a crash trace, a runtime warning) is an error too.
      if (line.trim() && !line.startsWith("{")) {
        counts.error++;
        if (counts.samples.length < 8) counts.samples.push(line.slice(0, 300));
      }
      continue;
    }
    counts[level]++;
    if (counts.samples.length < 8) counts.samples.push(line.slice(0, 300));
  }
  return counts;
}

// --- The run -----------------------------------------------------------------------------------------

try {
  // First start creates the data directory and applies the migrations; the soak runs on the second.
  const first = spawnServer({ dataDir, env, logFile: join(scratch, "first.log") });
  server = first;
  await first.ready(180_000);
  await first.stop();
  server = spawnServer({ dataDir, env, logFile });
  const app = server;
  const base = app.base;
  const bootMs = await app.ready(90_000);
  const logOffset = statSync(logFile).size;
  await Bun.sleep(1_000);
  const rssIdleMb = rssMb(app.pid);

  // Setup: the wrk user with a 20 KB file, the chat users, the sandbox users, the save user.
  const wrkEmail = `soak-wrk-${crypto.randomUUID()}@example.com`;
  const wrkUser = await newUser(base, wrkEmail);
  const big = "export const value = 'a line of a twenty kilobyte file';\n".repeat(400).slice(0, 20_480);
  await expectStatus(
    await fetch(`${base}/api/v1/projects/${wrkUser.projectId}/files/src/big.js`, {
      method: "PUT",
      headers: wrkUser.auth,
      body: JSON.stringify({ content: big }),
    }),
    200,
    "seeding the 20 KB file",
  );
  const cookie = await formLogin(base, wrkEmail);
  const openUrl = `${base}/projects/${wrkUser.projectId}/open?file=src%2Fbig.js`;
  const check = await fetch(openUrl, { headers: { cookie, "hx-request": "true" } });
  const fragmentBytes = (await check.text()).length;
  if (check.status !== 200 || fragmentBytes < 20_480)
    throw new Error(`open-file fragment answered ${check.status}, ${fragmentBytes} bytes`);

  const chatUsers: User[] = [];
  for (let i = 0; i < (LOADS.has("chat") ? CHAT_USERS : 0); i++) chatUsers.push(await newUser(base));
  const runUsers: User[] = [];
  let sandboxSkipped: string | undefined;
  if (LOADS.has("sandbox")) {
    const status = (await (
      await fetch(`${base}/api/v1/sandbox/status`, { headers: wrkUser.auth })
    ).json()) as {
      available: boolean;
      reason?: string;
      runner?: string;
    };
    if (!status.available) sandboxSkipped = `the server's sandbox is unavailable: ${status.reason}`;
    else for (let i = 0; i < SANDBOX_WORKERS; i++) runUsers.push(await newUser(base));
  } else sandboxSkipped = "not selected (SOAK_LOADS)";
  if (sandboxSkipped && LOADS.has("sandbox")) console.log(`sandbox runs skipped: ${sandboxSkipped}`);
  const saveEmail = `soak-save-${crypto.randomUUID()}@example.com`;
  const saveUser = await newUser(base, saveEmail);
  if (SAVE_INDEXING_OFF) {
    // The project page's switch, as a person turns code indexing off.
    const saveCookie = await formLogin(base, saveEmail);
    const page = await fetch(`${base}/projects/${saveUser.projectId}`, { headers: { cookie: saveCookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    const off = await fetch(`${base}/projects/${saveUser.projectId}/index/switch`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie: saveCookie },
      body: new URLSearchParams({ _csrf: csrf, enabled: "off" }),
    });
    await expectStatus(off, 200, "switching indexing off");
  }
  const saveVersions = new Map<string, number>();
  for (let i = 0; i < SAVE_FILES; i++) saveVersions.set(`soak/file${i}.js`, 0);

  // Warm-up: a few seconds of each load at small scale (JIT, caches, the sandbox's prestart).
  const warm = { wrk: tally(), chat: { ...tally(), open: 0 }, run: tally(), save: tally() };
  await Promise.all([
    LOADS.has("wrk") ? wrk(openUrl, cookie, 3) : undefined,
    ...chatUsers.slice(0, 10).map((u, i) => chat(base, u, -1 - i, warm.chat)),
    ...runUsers.map(async (u) => {
      for (let i = 0; i < 3; i++) await run(base, u, i, warm.run);
    }),
    (async () => {
      if (!LOADS.has("save")) return;
      for (const [path, version] of [...saveVersions].slice(0, 5)) {
        const next = await save(base, saveUser, path, version, 0, warm.save);
        if (next !== undefined) saveVersions.set(path, next);
      }
    })(),
  ]);
  const warmErrors = warm.chat.errors + warm.run.errors + warm.save.errors;
  if (warmErrors > 0)
    throw new Error(
      `warm-up failed: ${JSON.stringify([warm.chat.errorSamples, warm.run.errorSamples, warm.save.errorSamples])}`,
    );
  await Bun.sleep(2_000);
  const rssBeforeMb = rssMb(app.pid);
  upstream.reset();

  // --- The soak window ----------------------------------------------------------------------------
  const loadBefore = loadavg();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const running = () => performance.now() < deadline;
  const samples: { t: number; rssMb: number; chatOpen: number }[] = [];
  const chatTally = { ...tally(), open: 0 };
  const runTally = tally();
  const saveTally = tally();
  const sample = () => {
    const t = (performance.now() - started) / 1000;
    samples.push({ t: round(t, 2), rssMb: round(rssMb(app.pid), 1), chatOpen: chatTally.open });
  };
  sample();
  const sampler = setInterval(sample, 1000);
  // The JS heap as the server's /metrics reports it (prom-client's default metrics: the main
  // thread's heap, not the PGlite worker's): live objects growing, or only the process's RSS?
  const heapSamples: { t: number; heapUsedMb: number; heapTotalMb: number; externalMb: number }[] = [];
  const scrape = async () => {
    try {
      const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
      const gauge = (name: string) =>
        round(Number(new RegExp(`^${name} ([\\d.e+]+)$`, "m").exec(text)?.[1] ?? Number.NaN) / 2 ** 20);
      heapSamples.push({
        t: round((performance.now() - started) / 1000, 2),
        heapUsedMb: gauge("nodejs_heap_size_used_bytes"),
        heapTotalMb: gauge("nodejs_heap_size_total_bytes"),
        externalMb: gauge("nodejs_external_memory_bytes"),
      });
    } catch {
      // A scrape that times out under load is skipped; it is not one of the measured loads.
    }
  };
  const scraper = setInterval(() => void scrape(), 2_000);

  let chatN = 0;
  const chatLoad = LOADS.has("chat")
    ? Promise.all(
        Array.from({ length: CHAT_STREAMS }, async (_, slot) => {
          // Staggered starts, so that streams end and are replaced all the time, not in waves.
          await Bun.sleep(Math.random() * STREAM_CHUNKS * STREAM_DELAY_MS);
          while (running()) await chat(base, chatUsers[slot % chatUsers.length]!, chatN++, chatTally);
        }),
      )
    : undefined;
  let runN = 0;
  const runLoad = Promise.all(
    runUsers.map(async (user) => {
      while (running()) await run(base, user, runN++, runTally);
    }),
  );
  let saveN = 0;
  const saveLoad = LOADS.has("save")
    ? Promise.all(
        Array.from({ length: SAVE_WORKERS }, async (_, w) => {
          // Each worker has its own files, so baseVersion is always current: any 409 is an error.
          const mine = [...saveVersions.keys()].filter((_, i) => i % SAVE_WORKERS === w);
          for (let i = 0; running(); i++) {
            const path = mine[i % mine.length]!;
            const next = await save(base, saveUser, path, saveVersions.get(path)!, ++saveN, saveTally);
            if (next !== undefined) saveVersions.set(path, next);
          }
        }),
      )
    : undefined;
  const wrkLoad = LOADS.has("wrk") ? wrk(openUrl, cookie, SECONDS) : undefined;

  await Bun.sleep(Math.max(0, deadline - performance.now()));
  sample();
  clearInterval(sampler);
  clearInterval(scraper);
  const loadAfter = loadavg();
  const drainStarted = performance.now();
  const [wrkResult] = await Promise.all([wrkLoad, chatLoad, runLoad, saveLoad]);
  const drainMs = Math.round(performance.now() - drainStarted);
  await Bun.sleep(1_000);
  const rssAfterDrainMb = rssMb(app.pid);
  const exitCode = await app.stop();

  // --- Figures -------------------------------------------------------------------------------------
  // RSS saws up and down by tens of MB as the collector runs, so one sample is a poor reading.
  // The growth judged is that of the median of the samples within 5 s of FROM_SECOND against the
  // median of the last 10 s; the single samples at FROM_SECOND and at the end, and the
  // least-squares slope from FROM_SECOND on, are reported beside it.
  const at = (second: number) =>
    samples.reduce((best, s) => (Math.abs(s.t - second) < Math.abs(best.t - second) ? s : best));
  const medianOf = (values: number[]) => round(median(values));
  const from = at(FROM_SECOND);
  const end = samples.at(-1)!;
  const fromWindow = samples.filter((s) => Math.abs(s.t - FROM_SECOND) <= 5).map((s) => s.rssMb);
  const endWindow = samples.filter((s) => s.t >= SECONDS - 10).map((s) => s.rssMb);
  const fromMedian = medianOf(fromWindow);
  const endMedian = medianOf(endWindow);
  const growthPct = round(((endMedian - fromMedian) / fromMedian) * 100, 2);
  const pointGrowthPct = round(((end.rssMb - from.rssMb) / from.rssMb) * 100, 2);
  const span = samples.filter((s) => s.t >= from.t);
  const meanT = span.reduce((a, s) => a + s.t, 0) / span.length;
  const meanR = span.reduce((a, s) => a + s.rssMb, 0) / span.length;
  const slope =
    span.reduce((a, s) => a + (s.t - meanT) * (s.rssMb - meanR), 0) /
    span.reduce((a, s) => a + (s.t - meanT) ** 2, 0);
  const logs = logSummary(logOffset);
  const kinds = {
    wrk: wrkResult
      ? {
          requests: wrkResult.requests,
          errors: wrkResult.errors,
          non2xx: wrkResult.non2xx,
          socketErrors: wrkResult.socketErrors,
          rps: wrkResult.rps,
          p50Ms: wrkResult.p50Ms,
          p99Ms: wrkResult.p99Ms,
        }
      : { skipped: "not selected (SOAK_LOADS)" },
    chat: LOADS.has("chat")
      ? {
          requests: chatTally.requests,
          errors: chatTally.errors,
          errorSamples: chatTally.errorSamples,
          upstreamRequests: upstream.requestsFor("m-primary").length,
          failovers: upstream.requestsFor("m-fallback").length,
          // The fewest streams open once the staggered start is over (the pool's refill gaps).
          ...latency(chatTally),
          openMin: Math.min(
            ...samples
              .filter((s) => s.t > (STREAM_CHUNKS * STREAM_DELAY_MS) / 1000 + 1)
              .map((s) => s.chatOpen),
          ),
        }
      : { skipped: "not selected (SOAK_LOADS)" },
    sandbox: sandboxSkipped
      ? { skipped: sandboxSkipped }
      : {
          requests: runTally.requests,
          errors: runTally.errors,
          errorSamples: runTally.errorSamples,
          ...latency(runTally),
        },
    save: LOADS.has("save")
      ? {
          requests: saveTally.requests,
          errors: saveTally.errors,
          errorSamples: saveTally.errorSamples,
          ...latency(saveTally),
        }
      : { skipped: "not selected (SOAK_LOADS)" },
  };
  const totalErrors =
    (wrkResult?.errors ?? 0) +
    chatTally.errors +
    runTally.errors +
    saveTally.errors +
    (exitCode === 0 ? 0 : 1);
  const pass = { errors: totalErrors === TARGETS.errors, rssGrowth: growthPct <= TARGETS.rssGrowthPct };
  const result = {
    at: new Date().toISOString(),
    seconds: SECONDS,
    loads: [...LOADS],
    cores: navigator.hardwareConcurrency,
    loadavgBefore: loadBefore,
    loadavgAfter: loadAfter,
    database: database ? "postgres" : "pglite",
    cache: process.env.REDIS_URL ? "redis" : "memory",
    settings: {
      wrkConnections: WRK_CONNECTIONS,
      chatStreams: CHAT_STREAMS,
      chatUsers: CHAT_USERS,
      streamMs: STREAM_CHUNKS * STREAM_DELAY_MS,
      sandboxWorkers: SANDBOX_WORKERS,
      saveWorkers: SAVE_WORKERS,
      saveIndexing: !SAVE_INDEXING_OFF,
      fragmentBytes,
    },
    kinds,
    totalErrors,
    serverExitCode: exitCode,
    serverLog: logs,
    rss: {
      bootMs: Math.round(bootMs),
      idleAfterBootMb: round(rssIdleMb),
      beforeLoadMb: round(rssBeforeMb),
      fromSecond: FROM_SECOND,
      fromMedianMb: fromMedian,
      fromWindowSeconds: [FROM_SECOND - 5, FROM_SECOND + 5],
      endMedianMb: endMedian,
      endWindowSeconds: [SECONDS - 10, SECONDS],
      growthPct,
      fromSampleMb: from.rssMb,
      endSampleMb: end.rssMb,
      pointGrowthPct,
      slopeMbPerMin: round(slope * 60, 2),
      peakMb: Math.max(...samples.map((s) => s.rssMb)),
      afterDrainMb: round(rssAfterDrainMb),
      drainMs,
      samples,
      heap: {
        fromMedianUsedMb: medianOf(
          heapSamples.filter((h) => Math.abs(h.t - FROM_SECOND) <= 5).map((h) => h.heapUsedMb),
        ),
        endMedianUsedMb: medianOf(heapSamples.filter((h) => h.t >= SECONDS - 10).map((h) => h.heapUsedMb)),
        samples: heapSamples,
      },
    },
    targets: TARGETS,
    pass,
  };

  const row = (name: string, k: Record<string, unknown>) =>
    console.log(
      `${name.padEnd(8)} ${"skipped" in k ? `skipped: ${k.skipped}` : `${String(k.requests).padStart(8)} requests  ${String(k.errors).padStart(4)} errors  ${k.rps ? `${k.rps} req/s, ` : ""}p50 ${k.p50Ms} ms, ${k.p99Ms ? `p99 ${k.p99Ms}` : `p95 ${k.p95Ms}`} ms`}`,
    );
  console.log(
    `soak ${SECONDS} s on ${result.database}/${result.cache}, ${navigator.hardwareConcurrency} cores, load average ${loadBefore.join(" ")} → ${loadAfter.join(" ")}`,
  );
  row("wrk", kinds.wrk);
  row("chat", kinds.chat);
  row("sandbox", kinds.sandbox);
  row("save", kinds.save);
  for (const [name, k] of Object.entries(kinds))
    for (const s of (k as { errorSamples?: string[] }).errorSamples ?? []) console.log(`  ${name}: ${s}`);
  console.log(
    `RSS: idle after boot ${result.rss.idleAfterBootMb} MB, before load ${result.rss.beforeLoadMb} MB, ` +
      `median ${FROM_SECOND - 5}–${FROM_SECOND + 5} s ${fromMedian} MB, median ${SECONDS - 10}–${SECONDS} s ${endMedian} MB, ` +
      `peak ${result.rss.peakMb} MB, after drain ${result.rss.afterDrainMb} MB; ` +
      `single samples ${from.rssMb} MB at ${from.t} s → ${end.rssMb} MB at ${end.t} s (${pointGrowthPct}%), ` +
      `slope ${result.rss.slopeMbPerMin} MB/min`,
  );
  console.log(
    `JS heap used (from /metrics): median ${result.rss.heap.fromMedianUsedMb} MB around ${FROM_SECOND} s, ` +
      `${result.rss.heap.endMedianUsedMb} MB in the last 10 s`,
  );
  console.log(
    `server log: ${logs.warn} warn, ${logs.error} error, ${logs.fatal} fatal lines; exit ${exitCode}`,
  );
  for (const s of logs.samples) console.log(`  log: ${s}`);
  console.log(`errors = ${totalErrors}: ${pass.errors ? "PASS" : "FAIL"}`);
  console.log(
    `RSS growth (medians, ${FROM_SECOND} s → last 10 s) = ${growthPct}% (≤ ${TARGETS.rssGrowthPct}%): ${pass.rssGrowth ? "PASS" : "MISS"}`,
  );
  const out = process.env.SOAK_OUT ?? (FULL_MIX ? join(import.meta.dir, "results", "soak.json") : undefined);
  if (out) {
    mkdirSync(join(out, ".."), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    // In the repository's own JSON style (short arrays on one line), so `bun run lint` stays clean.
    const biome = join(import.meta.dir, "..", "..", "node_modules", ".bin", "biome");
    if (existsSync(biome))
      Bun.spawnSync([biome, "format", "--write", out], { stdout: "ignore", stderr: "ignore" });
  }
} finally {
  if (server) await server.stop();
  await upstream.stop();
  await database?.drop();
  if (process.env.SOAK_KEEP) console.log(`kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}
