/**
 * Aura as a real process (`bun src/index.ts`, as a deployment runs it) on a free loopback port,
 * for tests and benchmarks that must kill, restart or measure the server from outside: the soak
 * benchmark and the crash test. Its output goes either to a file (high-volume runs: a pipe that
 * this process reads late would stall the server's synchronous log writes) or into a bounded
 * in-memory tail for failure messages.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { BUN_MAX_HEADER_BYTES } from "../../src/plugins/limits.ts";
import { cleanEnv, freePort, stop, waitForStatus } from "../bench/helpers.ts";

const ROOT = join(import.meta.dir, "..", "..");
const TAIL_CHARS = 20_000;

export interface ServerProcess {
  base: string;
  port: number;
  proc: Subprocess;
  pid: number;
  /** The last lines the process printed, for failure messages. */
  tail(lines?: number): string;
  /** Wait until /readyz answers 200; resolves with the ms it took. */
  ready(timeoutMs?: number): Promise<number>;
  /** SIGTERM (then SIGKILL after the grace period); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** `kill -9`: no shutdown code runs. Resolves once the process is gone. */
  kill9(): Promise<void>;
}

/** The last `chars` characters of a file (empty when it cannot be read). */
function fileTail(path: string, chars: number): string {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, chars);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, "r");
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buffer.toString("utf8");
  } catch {
    return "";
  }
}

/**
 * Start `bun --no-env-file src/index.ts` (with the start script's head cap) with only PATH, HOME, PORT, DATA_DIR and `env` in its
 * environment. `logFile` sends stdout and stderr there; otherwise a tail is kept in memory.
 */
export function spawnServer(options: {
  dataDir: string;
  env?: Record<string, string>;
  logFile?: string;
  port?: number;
}): ServerProcess {
  const port = options.port ?? freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = cleanEnv({
    HOME: options.dataDir,
    ...options.env,
    PORT: String(port),
    DATA_DIR: options.dataDir,
  });
  let output = "";
  // As `bun run start` runs it: Bun's own head cap raised above Aura's URL limit.
  const cmd = [
    process.execPath,
    "--no-env-file",
    `--max-http-header-size=${BUN_MAX_HEADER_BYTES}`,
    "src/index.ts",
  ];
  let proc: Subprocess;
  if (options.logFile) {
    // One append-mode descriptor for both streams, so their lines interleave instead of overwriting.
    const fd = openSync(options.logFile, "a");
    try {
      proc = Bun.spawn(cmd, { cwd: ROOT, env, stdin: "ignore", stdout: fd, stderr: fd });
    } finally {
      closeSync(fd);
    }
  } else {
    const piped = Bun.spawn(cmd, { cwd: ROOT, env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const drain = async (stream: ReadableStream<Uint8Array>) => {
      const decoder = new TextDecoder();
      const reader = stream.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read())
        output = (output + decoder.decode(read.value, { stream: true })).slice(-TAIL_CHARS);
    };
    void drain(piped.stdout);
    void drain(piped.stderr);
    proc = piped;
  }
  const tail = (lines = 30) =>
    (options.logFile ? fileTail(options.logFile, TAIL_CHARS) : output).split("\n").slice(-lines).join("\n");
  return {
    base,
    port,
    proc,
    pid: proc.pid,
    tail,
    async ready(timeoutMs = 90_000) {
      try {
        return await waitForStatus(`${base}/readyz`, {
          since: performance.now(),
          timeoutMs,
          everyMs: 50,
          proc,
        });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- server output ---\n${tail()}`);
      }
    },
    stop: (graceMs = 10_000) => stop(proc, graceMs),
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await proc.exited;
    },
  };
}
