/**
 * What an AI answer costs the server per answer byte, and what one user's burst of chats does to
 * it. Aura runs as `bun src/index.ts` (embedded PGlite and in-process cache, or BENCH_REDIS_URL /
 * BENCH_DATABASE_URL) in its own process; the scripted upstream of test/helpers/ai-upstream.ts, a
 * bare Bun proxy and a /healthz prober each run in a process of their own (this script
 * re-executed with BENCH_ROLE), so that no figure of the server includes the work of making or
 * reading its traffic, and the prober is never starved by the clients it sits beside.
 *
 * 1. Cost per answer size: chats whose answers are 16, 64 and 216 KB of Markdown (prose, lists
 *    and fenced code, in deltas of DELTA_CHARS characters, as a model streams tokens), one at a
 *    time, through the JSON face (`POST /api/v1/ai/chat`, SSE) and the HTML face's stream
 *    (`POST /projects/:id/ai/chat`, as the assistant panel sends it), each in a fresh project so
 *    no earlier answer rides along in the prompt. Beside them, the baseline: the same upstream
 *    stream piped through a bare Bun proxy (`fetch` → `new Response(body)`). For each: the serving
 *    process's CPU time (user + system, all threads, from /proc, less its idle rate) per answer
 *    and per answer KB, and the bytes it sent per answer KB. Linear cost = flat ms/KB across sizes.
 * 2. One user's burst: STORM (200) concurrent JSON-face chats from one user in one project, with
 *    216 KB answers — how many are answered and how many refused (429), how long /healthz waits
 *    at worst meanwhile (polled every 20 ms from its own process), and the server's RSS before,
 *    at peak (VmHWM, reset before) and AFTER_MS after the last answer; then 4 users × 4 streams.
 *
 * Run: `bun test/bench/ai-answer-size.ts`. Writes test/bench/results/ai-answer-size.json.
 * Knobs: ROUNDS (3), DELTA_CHARS (4), STORM (200), STORM_KB (216), AFTER_MS (5000),
 * SKIP_STORM=1, BENCH_MAX_STREAMS (the server's AI_MAX_STREAMS_PER_USER, default 4), BENCH_REDIS_URL,
 * BENCH_DATABASE_URL, BENCH_PROFILE=<dir> (server CPU profile).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { startScriptedUpstream } from "../helpers/ai-upstream.ts";
import {
  aiLoadEnv,
  cleanEnv,
  formLoginCookies,
  freePort,
  peakMb,
  rssMb,
  stop,
  waitForStatus,
} from "./helpers.ts";

const ROLE = process.env.BENCH_ROLE;
const SIZES_KB = [16, 64, 216];
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DELTA_CHARS = Number(process.env.DELTA_CHARS ?? 4);
const STORM = Number(process.env.STORM ?? 200);
const STORM_KB = Number(process.env.STORM_KB ?? 216);
const AFTER_MS = Number(process.env.AFTER_MS ?? 5_000);

/** A Markdown answer of `bytes` characters: headings, prose with inline code, a list and a fenced block. */
export function markdownAnswer(bytes: number): string {
  const prose =
    "The loader reads the **configuration** once and keeps it; see `loadConfig` for the details. ";
  const code = "```js src/app.js\nexport function add(a, b) {\n  return a + b; // <b>sum</b>\n}\n```\n\n";
  let out = "";
  for (let i = 0; out.length < bytes; i++)
    out += `## Step ${i}\n\n${prose.repeat(4)}\n\n- one\n- two\n\n${code}`;
  return out.slice(0, bytes);
}

/** Which answer size a request asks for: its last message names it as "Answer <n> KB". */
const askedKb = (body: Record<string, unknown>) => {
  const messages = (body.messages ?? []) as { content?: string }[];
  return Number(/Answer (\d+) KB/.exec(String(messages.at(-1)?.content ?? ""))?.[1] ?? 1);
};

/** Lines from a child's stdout, one at a time. */
function lines(proc: Subprocess<"pipe", "pipe", "inherit">) {
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return async (): Promise<string> => {
    for (;;) {
      const end = buffer.indexOf("\n");
      if (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("a bench child exited early");
      buffer += value;
    }
  };
}

/** Wait until stdin closes (the parent is done with this child). */
async function untilStdinCloses() {
  const reader = Bun.stdin.stream().getReader();
  while (!(await reader.read()).done);
}

if (ROLE === "upstream") {
  const upstream = startScriptedUpstream();
  const cached = new Map<number, string[]>();
  upstream.defaultReply = (_model, body) => {
    const kb = askedKb(body);
    let chunks = cached.get(kb);
    if (!chunks) {
      chunks = markdownAnswer(kb * 1024).match(new RegExp(`[\\s\\S]{1,${DELTA_CHARS}}`, "g")) ?? [];
      cached.set(kb, chunks);
    }
    return chunks;
  };
  console.log(upstream.url);
  await untilStdinCloses();
  await upstream.stop();
  process.exit(0);
} else if (ROLE === "proxy") {
  // The floor: the upstream's stream passed through untouched by a bare Bun server.
  const target = `${process.env.BENCH_UPSTREAM}/chat/completions`;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    async fetch(request) {
      const { message } = (await request.json()) as { message: string };
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer bench" },
        body: JSON.stringify({
          model: "m-proxy",
          messages: [{ role: "user", content: message }],
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      return new Response(res.body, { headers: { "content-type": "text/event-stream" } });
    },
  });
  console.log(`http://127.0.0.1:${server.port}`);
  await untilStdinCloses();
  server.stop(true);
  process.exit(0);
} else if (ROLE === "prober") {
  // Polls /healthz every 20 ms; the worst wait between "start" and "stop" lines on stdin.
  const url = `${process.env.BENCH_URL}/healthz`;
  let measuring = false;
  let worst = 0;
  let count = 0;
  void (async () => {
    for (;;) {
      const started = performance.now();
      try {
        await (await fetch(url)).arrayBuffer();
      } catch {
        // A refused or reset probe still counts as a wait.
      }
      const waited = performance.now() - started;
      if (measuring) {
        worst = Math.max(worst, waited);
        count++;
      }
      await Bun.sleep(20);
    }
  })();
  console.log("ready");
  const stdin = Bun.stdin.stream().pipeThrough(new TextDecoderStream()).getReader();
  for (let read = await stdin.read(); !read.done; read = await stdin.read()) {
    for (const line of read.value.split("\n")) {
      if (line === "start") {
        measuring = true;
        worst = 0;
        count = 0;
      } else if (line === "stop") {
        measuring = false;
        console.log(JSON.stringify({ worstMs: Math.round(worst), probes: count }));
      }
    }
  }
  process.exit(0);
} else {
  await main();
}

async function main() {
  if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
    // The client side holds STORM streams open at once; Bun's fetch allows 256 unless told.
    const child = Bun.spawn([process.execPath, import.meta.path], {
      env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(Math.max(1024, STORM * 2)) },
      stdio: ["inherit", "inherit", "inherit"],
    });
    process.exit(await child.exited);
  }
  const root = join(import.meta.dir, "..", "..");
  const scratch = mkdtempSync(join(tmpdir(), "aura-bench-answer-"));
  const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
  const spawnChild = (role: string, env: Record<string, string> = {}) =>
    Bun.spawn([process.execPath, import.meta.path], {
      env: { ...process.env, BENCH_ROLE: role, ...env },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
    });
  const upstreamProc = spawnChild("upstream");
  const upstreamUrl = await lines(upstreamProc)();
  const proxyProc = spawnChild("proxy", { BENCH_UPSTREAM: upstreamUrl });
  const proxyUrl = await lines(proxyProc)();
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = Bun.spawn(
    [
      "bun",
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      "src/index.ts",
    ],
    {
      cwd: root,
      env: cleanEnv({
        PORT: String(port),
        DATA_DIR: join(scratch, "data"),
        ...aiLoadEnv(upstreamUrl, "bench"),
        // The limit as shipped (or as BENCH_MAX_STREAMS sets it; 0 lifts it, as before it existed).
        AI_MAX_STREAMS_PER_USER: process.env.BENCH_MAX_STREAMS ?? "4",
        LOG_LEVEL: "warn",
        ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
        ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
      }),
      stdout: "ignore",
      stderr: "inherit",
    },
  );
  const proberProc = spawnChild("prober", { BENCH_URL: base });
  const proberLine = lines(proberProc);
  const children = [upstreamProc, proxyProc, proberProc];
  const load = { start: round(loadavg()[0]!), end: Number.NaN };

  /** CPU milliseconds a process has used (user + system, all threads), at 100 ticks/s. */
  const cpuMs = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };

  try {
    await waitForStatus(`${base}/readyz`, { since: performance.now(), timeoutMs: 120_000, proc: app });
    if ((await proberLine()) !== "ready") throw new Error("the prober did not start");

    interface Account {
      email: string;
      auth: Record<string, string>;
    }
    const password = "correct horse battery";
    const newAccount = async (): Promise<Account> => {
      const email = `bench-${crypto.randomUUID()}@example.com`;
      const res = await fetch(`${base}/api/v1/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password, firstName: "B", lastName: "M" }),
      });
      if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
      return { email, auth: { authorization: `Bearer ${((await res.json()) as { token: string }).token}` } };
    };
    const newProject = async (account: Account): Promise<string> => {
      const res = await fetch(`${base}/api/v1/projects`, {
        method: "POST",
        headers: { ...account.auth, "content-type": "application/json" },
        body: JSON.stringify({ name: "Answer sizes", language: "javascript" }),
      });
      if (res.status !== 201) throw new Error(`create project answered ${res.status}`);
      return ((await res.json()) as { id: string }).id;
    };
    /** Wait until the code index has nothing queued (new projects' starter files are indexed in the background). */
    const indexIdle = async () => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await Bun.sleep(100)) {
        const metrics = await (await fetch(`${base}/metrics`)).text();
        const depth = /^aura_index_queue_depth(?:\{[^}]*\})? (\d+)/m.exec(metrics)?.[1];
        if (depth === undefined || depth === "0") return;
      }
      throw new Error("the code index stayed busy");
    };

    // --- 1. Cost per answer size ----------------------------------------------------------------
    const reps = (kb: number) => Math.max(1, Math.round(216 / kb));
    const WARMUP = 3;
    const measured = ROUNDS * SIZES_KB.reduce((n, kb) => n + reps(kb), 0) + WARMUP;
    const me = await newAccount();
    const projects: string[] = [];
    for (let i = 0; i < 2 * measured; i++) projects.push(await newProject(me));
    await indexIdle();
    const cookie = await formLoginCookies(base, me.email, password);
    const page = await (await fetch(`${base}/projects/${projects[0]}`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!csrf) throw new Error("no CSRF token on the project page");

    type Face = "proxy" | "json" | "html";
    const post = (face: Face, kb: number): Promise<Response> => {
      const message = `Answer ${kb} KB, please (${crypto.randomUUID()})`;
      if (face === "proxy") return fetch(proxyUrl, { method: "POST", body: JSON.stringify({ message }) });
      const projectId = projects.pop() as string;
      if (face === "json")
        return fetch(`${base}/api/v1/ai/chat`, {
          method: "POST",
          headers: { ...me.auth, "content-type": "application/json", accept: "text/event-stream" },
          body: JSON.stringify({ projectId, message }),
        });
      return fetch(`${base}/projects/${projectId}/ai/chat`, {
        method: "POST",
        headers: {
          cookie,
          origin: base,
          "x-csrf-token": csrf,
          accept: "text/event-stream, application/json",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ message }),
      });
    };
    // The serving process's CPU at rest (timers, metrics), subtracted from every measurement.
    const idleRate = (pid: number, ms = 2_000) => {
      const before = cpuMs(pid);
      return Bun.sleep(ms).then(() => (cpuMs(pid) - before) / ms);
    };
    const rates = { server: await idleRate(app.pid), proxy: await idleRate(proxyProc.pid) };
    const sums = new Map<string, { face: Face; cpuMs: number; bytes: number; answers: number; kb: number }>();
    const one = async (face: Face, kb: number, count: boolean) => {
      const pid = face === "proxy" ? proxyProc.pid : app.pid;
      const rate = face === "proxy" ? rates.proxy : rates.server;
      const started = performance.now();
      const before = cpuMs(pid);
      const res = await post(face, kb);
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200)
        throw new Error(`${face} answered ${res.status}: ${new TextDecoder().decode(body)}`);
      if (face !== "proxy" && Buffer.from(body.buffer).indexOf("event: done") < 0)
        throw new Error(`${face}: no done event`);
      // What the server does once the answer is out (the conversation's re-read) belongs to it.
      await Bun.sleep(150);
      const used = cpuMs(pid) - before - rate * (performance.now() - started);
      if (!count) return;
      const key = `${face} ${kb}`;
      const sum = sums.get(key) ?? { face, cpuMs: 0, bytes: 0, answers: 0, kb };
      sum.cpuMs += Math.max(0, used);
      sum.bytes += body.length;
      sum.answers++;
      sums.set(key, sum);
    };
    for (const face of ["proxy", "json", "html"] as const)
      for (let i = 0; i < WARMUP; i++) await one(face, 64, false);
    // Interleaved, so that drift (the JIT, other load on the machine) touches every cell alike.
    for (let r = 0; r < ROUNDS; r++)
      for (const kb of SIZES_KB)
        for (let i = 0; i < reps(kb); i++)
          for (const face of ["proxy", "json", "html"] as const) await one(face, kb, true);
    const sizes = [...sums.values()].map((s) => {
      return {
        face: s.face,
        answerKb: s.kb,
        answers: s.answers,
        cpuMsPerAnswer: round(s.cpuMs / s.answers, 1),
        cpuMsPerAnswerKb: round(s.cpuMs / s.answers / s.kb, 3),
        bytesSentPerAnswerKb: Math.round(s.bytes / s.answers / s.kb),
      };
    });
    // What each further KB costs between two sizes: flat when the cost is linear.
    const marginal = (["proxy", "json", "html"] as const).map((face) => {
      const cell = (kb: number) => sizes.find((x) => x.face === face && x.answerKb === kb);
      const step = (from: number, to: number) => {
        const [a, b] = [cell(from), cell(to)];
        return a && b ? round((b.cpuMsPerAnswer - a.cpuMsPerAnswer) / (to - from), 3) : Number.NaN;
      };
      return { face, cpuMsPerKb16to64: step(16, 64), cpuMsPerKb64to216: step(64, 216) };
    });

    const stores = `${process.env.BENCH_DATABASE_URL ? "PostgreSQL" : "PGlite"} + ${process.env.BENCH_REDIS_URL ? "Redis" : "in-process cache"}`;
    console.log(
      `AI answer size bench: bun src/index.ts on ${stores}, bun ${Bun.version}, ${navigator.hardwareConcurrency} cores, load ${load.start}; deltas of ${DELTA_CHARS} chars`,
    );
    console.log("\nServer CPU and bytes per answer (one chat at a time, fresh project each):");
    console.log("  face    answer   answers   CPU ms/answer   CPU ms/answer KB   bytes sent/answer KB");
    for (const s of sizes)
      console.log(
        `  ${s.face.padEnd(6)} ${String(s.answerKb).padStart(4)} KB ${String(s.answers).padStart(8)} ${String(s.cpuMsPerAnswer).padStart(15)} ${String(s.cpuMsPerAnswerKb).padStart(18)} ${String(s.bytesSentPerAnswerKb).padStart(22)}`,
      );
    console.log("  further CPU ms per answer KB (16 → 64 KB, 64 → 216 KB; flat = linear):");
    for (const m of marginal)
      console.log(
        `  ${m.face.padEnd(6)} ${String(m.cpuMsPerKb16to64).padStart(8)} ${String(m.cpuMsPerKb64to216).padStart(8)}`,
      );

    // --- 2. One user's burst, then 4 users × 4 streams ------------------------------------------
    const storm = async (users: number, perUser: number) => {
      const accounts: { account: Account; projectId: string }[] = [];
      for (let u = 0; u < users; u++) {
        const account = await newAccount();
        accounts.push({ account, projectId: await newProject(account) });
      }
      await indexIdle();
      await Bun.sleep(1_000);
      const before = rssMb(app.pid);
      writeFileSync(`/proc/${app.pid}/clear_refs`, "5");
      const cpuBefore = cpuMs(app.pid);
      proberProc.stdin.write("start\n");
      proberProc.stdin.flush();
      const statuses: Record<string, number> = {};
      const started = performance.now();
      await Promise.all(
        Array.from({ length: users * perUser }, async (_, i) => {
          const { account, projectId } = accounts[i % users]!;
          let status = "failed";
          try {
            const res = await fetch(`${base}/api/v1/ai/chat`, {
              method: "POST",
              headers: { ...account.auth, "content-type": "application/json", accept: "text/event-stream" },
              body: JSON.stringify({ projectId, message: `Answer ${STORM_KB} KB (${crypto.randomUUID()})` }),
            });
            const body = await res.text();
            status =
              res.status === 200 && !body.includes("event: done") ? "200 without done" : String(res.status);
          } catch (error) {
            status = `failed: ${(error as { code?: string }).code ?? String(error)}`;
          } finally {
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        }),
      );
      const wallMs = performance.now() - started;
      proberProc.stdin.write("stop\n");
      proberProc.stdin.flush();
      const healthz = JSON.parse(await proberLine()) as { worstMs: number; probes: number };
      const cpu = cpuMs(app.pid) - cpuBefore;
      const peak = peakMb(app.pid);
      await Bun.sleep(AFTER_MS);
      return {
        users,
        streamsPerUser: perUser,
        answerKb: STORM_KB,
        statuses,
        wallMs: Math.round(wallMs),
        serverCpuMs: cpu,
        healthzWorstMs: healthz.worstMs,
        healthzProbes: healthz.probes,
        rssMb: { before: Math.round(before), peak: Math.round(peak), after: Math.round(rssMb(app.pid)) },
      };
    };
    const bursts = process.env.SKIP_STORM ? [] : [await storm(1, STORM), await storm(4, 4)];
    load.end = round(loadavg()[0]!);
    console.log(`\nload at the end ${load.end}`);

    // --- Report ---------------------------------------------------------------------------------
    for (const b of bursts)
      console.log(
        `\n${b.users} user(s) × ${b.streamsPerUser} concurrent chats, ${b.answerKb} KB answers: ${JSON.stringify(b.statuses)}, wall ${b.wallMs} ms, server CPU ${b.serverCpuMs} ms\n  /healthz worst wait ${b.healthzWorstMs} ms (${b.healthzProbes} probes); RSS before ${b.rssMb.before} MB, peak ${b.rssMb.peak} MB, ${AFTER_MS / 1000} s after ${b.rssMb.after} MB`,
      );
    mkdirSync(join(import.meta.dir, "results"), { recursive: true });
    writeFileSync(
      join(import.meta.dir, "results", "ai-answer-size.json"),
      `${JSON.stringify({ at: new Date().toISOString(), bun: Bun.version, cores: navigator.hardwareConcurrency, load, stores, deltaChars: DELTA_CHARS, sizes, marginal, bursts }, null, 2)}\n`,
    );
  } finally {
    await stop(app);
    for (const child of children) {
      child.stdin.end();
      await Promise.race([child.exited, Bun.sleep(2_000)]);
      child.kill();
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}
