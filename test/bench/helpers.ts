/** Spawning and probing compiled servers, shared by the boot benchmark and test/binary.test.ts. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { binaryPath, buildBinary } from "../../scripts/build.ts";

const root = join(import.meta.dir, "..", "..");

/** Inputs of dist/aura; the generated asset manifest and public/assets are outputs of the build. */
const SOURCES = ["src", "views", "drizzle", "public", "scripts", "package.json", "bun.lock"];
const BUILD_OUTPUTS = new Set([join(root, "src", "generated"), join(root, "public", "assets")]);

function newestMtime(path: string): number {
  if (BUILD_OUTPUTS.has(path)) return 0;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Build dist/aura unless it exists and is newer than every source; returns its path. */
export async function ensureBinary(): Promise<string> {
  const built = statSync(binaryPath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(...SOURCES.map((p) => newestMtime(join(root, p))));
  if (built < sources) await buildBinary();
  return binaryPath;
}

/** A port that was free a moment ago (the OS picks it; a race with other processes is unlikely). */
export function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = probe.port!;
  probe.stop(true);
  return port;
}

/** The environment a user would start the binary with: no test settings, no servers configured. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", ...extra };
}

/**
 * Poll `url` every `everyMs` until it answers `status`; resolves with the time elapsed since
 * `since` (a performance.now() reading). Rejects after `timeoutMs` or if `proc` exits first.
 */
export async function waitForStatus(
  url: string,
  opts: { status?: number; since: number; timeoutMs: number; everyMs?: number; proc?: Subprocess },
): Promise<number> {
  const deadline = performance.now() + opts.timeoutMs;
  while (performance.now() < deadline) {
    if (opts.proc?.exitCode !== null && opts.proc?.exitCode !== undefined)
      throw new Error(`server exited with ${opts.proc.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(250) });
      await res.arrayBuffer();
      if (res.status === (opts.status ?? 200)) return performance.now() - opts.since;
    } catch {
      // Not listening yet (connection refused) or too slow this time: poll again.
    }
    await Bun.sleep(opts.everyMs ?? 3);
  }
  throw new Error(`${url} did not answer ${opts.status ?? 200} within ${opts.timeoutMs} ms`);
}

/** A memory field of /proc/<pid>/status (`VmRSS`, `VmHWM`), in MB. */
function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  if (!line) throw new Error(`no ${field} for ${pid}`);
  return Number(line[1]) / 1024;
}

/** Resident memory of a live process in MB, threads (the PGlite worker) included. */
export const rssMb = (pid: number): number => statusMb(pid, "VmRSS");

/** The process's peak resident memory so far (VmHWM), in MB. */
export const peakMb = (pid: number): number => statusMb(pid, "VmHWM");

/** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
export async function stop(proc: Subprocess, graceMs = 5_000): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
  proc.kill("SIGTERM");
  const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
  await proc.exited;
  clearTimeout(timer);
  return proc.exitCode;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Sign in through the HTML login form as a browser does (GET the form for its CSRF token, POST
 * it) and return the session cookies as a Cookie header. Throws unless the form answers 303.
 */
export async function formLoginCookies(base: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await fetch(`${base}/login`);
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie: cookie() },
    body: new URLSearchParams({ _csrf: csrf, email, password }),
  });
  keep(login);
  if (login.status !== 303)
    throw new Error(`login form answered ${login.status}: ${(await login.text()).slice(0, 400)}`);
  return cookie();
}

/** The model tiers the AI benchmarks script on the upstream stand-in. */
export const BENCH_MODELS = {
  AI_MODEL_PRIMARY: "m-primary",
  AI_MODEL_FALLBACK: "m-fallback",
  AI_MODEL_FAST: "m-fast",
};

/**
 * Server settings for AI load against the scripted upstream: its URL and models, a price so every
 * call has a cost to account for, a budget check that stays on (its per-call sum is part of the
 * work) but can never refuse, allowances no benchmark user can spend, and no limit of calls in
 * progress per user.
 */
export function aiLoadEnv(upstreamUrl: string, apiKey: string): Record<string, string> {
  return {
    AI_BASE_URL: upstreamUrl,
    AI_API_KEY: apiKey,
    ...BENCH_MODELS,
    // $1 / $2 per million input / output tokens.
    AI_PRICES: JSON.stringify(
      Object.fromEntries(Object.values(BENCH_MODELS).map((m) => [m, { input: 1, output: 2 }])),
    ),
    AI_DAILY_BUDGET_CENTS: "100000000",
    // A few users' many streams stand for many users' streams: no per-user limit of calls in
    // progress (test/bench/ai-answer-size.ts measures that limit).
    AI_MAX_STREAMS_PER_USER: "0",
    RATE_LIMIT_EDITOR: "100000000/1m",
    RATE_LIMIT_API: "100000000/1m",
    RATE_LIMIT_REGISTER: "100000/1h",
  };
}
