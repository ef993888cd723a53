/**
 * The E2B sandbox runner (`@e2b/code-interpreter`): runs each request in a remote
 * Firecracker microVM. One sandbox per user is kept warm and reused across runs (each run
 * gets its own directory, `/home/user/runs/<uuid>`, removed afterwards) and killed after
 * `idleMs` without runs. The sandbox's own E2B lifetime is kept just above what the pool
 * needs, so if this process dies, E2B reaps the sandboxes by itself.
 *
 * Programs: Python runs as `python3 -u`, JavaScript as `node`. TypeScript runs on
 * `node --experimental-strip-types` (Node ≥ 22.6: type annotations are stripped, no
 * bundling, no network); on an older Node in the template it falls back to
 * `npx --yes tsx`, which needs network inside the sandbox and is slow. The programs run
 * in the sandbox's user account with no environment from this server.
 *
 * Error rule — **throw before the first event, exit event after**:
 * - Failures before any event is yielded throw. Creating the sandbox (auth, quota, rate
 *   limit, template not found, network) → `UnavailableError` (503, "E2B unavailable: …");
 *   any other SDK failure while preparing the run (writing files, starting the command) →
 *   `UpstreamError` (502, "E2B failed: …"). A reused warm sandbox that turns out to be
 *   dead is dropped and the run retried once on a fresh one before throwing.
 * - Once the command has started, nothing throws: the program's non-zero exit (the SDK's
 *   `CommandExitError`) is a normal `exit` with its code; a sandbox that dies or a
 *   connection that breaks mid-run ends the run with `exit { error: "error" }` after a
 *   stderr line explaining, and the sandbox is dropped from the pool.
 *
 * Limits: the wall-clock timeout, cancellation and the output cap kill the command
 * (`CommandHandle.kill()`, SIGKILL to the process); `error` is "timeout" / "cancelled",
 * the output cap sets `truncated: true`. Memory, process count and file size are bounded
 * by the E2B VM itself (the template's size), not per run; an exit by SIGKILL (137) that
 * we did not cause, or an out-of-memory message, is reported as "memory".
 */
import { randomUUID } from "node:crypto";
import { UnavailableError, UpstreamError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { type CreatePtySandbox, openE2BPty } from "./e2b-pty.ts";
import { DEFAULT_LIMITS } from "./local.ts";
import type { RunEvent, RunFailure, RunLanguage, RunLimits, RunRequest, SandboxRunner } from "./types.ts";
import { entryPath, safeRelativePath, validateRequestPaths } from "./workdir.ts";

/** What a started command must offer: wait for its result, and be killed. */
export interface E2BCommandHandle {
  /** Resolves with the result on exit 0; rejects with a CommandExitError-like error otherwise. */
  wait(): Promise<{ exitCode: number; error?: string }>;
  kill(): Promise<boolean>;
}

export interface E2BCommandOptions {
  background: true;
  cwd?: string;
  envs?: Record<string, string>;
  timeoutMs?: number;
  onStdout?: (data: string) => void | Promise<void>;
  onStderr?: (data: string) => void | Promise<void>;
}

/** The part of an E2B `Sandbox` this runner uses. */
export interface E2BSandboxLike {
  readonly sandboxId: string;
  files: {
    write(path: string, data: string | Blob): Promise<unknown>;
    remove(path: string): Promise<unknown>;
  };
  commands: { run(cmd: string, opts: E2BCommandOptions): Promise<E2BCommandHandle> };
  setTimeout(timeoutMs: number): Promise<unknown>;
  kill(): Promise<unknown>;
}

/** The module boundary: `@e2b/code-interpreter`, or a scripted stand-in in tests. */
export interface E2BSdk {
  Sandbox: { create(opts: { apiKey: string; timeoutMs: number }): Promise<E2BSandboxLike> };
  /** A sandbox for one terminal (the SDK's `Sandbox.create`, seen through the PTY's needs). */
  createPtySandbox?: CreatePtySandbox;
}

const realSdk: E2BSdk = {
  Sandbox: { create: async (opts) => (await import("@e2b/code-interpreter")).Sandbox.create(opts) },
  createPtySandbox: async (opts) => (await import("@e2b/code-interpreter")).Sandbox.create(opts),
};

export interface E2BRunnerOptions {
  apiKey: string;
  logger: Logger;
  sdk?: E2BSdk;
  /** Kill a user's warm sandbox after this long without runs (default 5 minutes). */
  idleMs?: number;
  limits?: Partial<RunLimits>;
}

export const RUNS_ROOT = "/home/user/runs";
const DEFAULT_IDLE_MS = 5 * 60_000;
/** Extra E2B lifetime beyond what the pool needs, and how far ahead it is refreshed. */
const LIFETIME_MARGIN_MS = 60_000;
const REFRESH_MARGIN_MS = 10_000;
const MEMORY_PATTERN = /MemoryError|JavaScript heap out of memory|Cannot allocate memory/;
const LANGUAGES: RunLanguage[] = ["python", "javascript", "typescript"];

interface Warm {
  sandbox: Promise<E2BSandboxLike>;
  active: number;
  reaper?: ReturnType<typeof setTimeout>;
  /** When E2B will kill the sandbox unless its timeout is extended. */
  expiresAt: number;
  /** Set once a run found it dead; never handed out again. */
  dead: boolean;
}

/** Single-quote a string for the sandbox's shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The shell command that runs `entry` (relative to the run directory). */
function e2bCommand(language: RunLanguage, entry: string): string {
  const file = shellQuote(entry);
  switch (language) {
    case "python":
      return `exec python3 -u ${file}`;
    case "javascript":
      return `exec node ${file}`;
    case "typescript":
      return (
        `if node --experimental-strip-types -e '' >/dev/null 2>&1; ` +
        `then exec node --experimental-strip-types --disable-warning=ExperimentalWarning ${file}; ` +
        `else exec npx --yes tsx ${file}; fi`
      );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The SDK's CommandExitError (or a stand-in): the program exited non-zero, not our failure. */
function exitCodeOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== "CommandExitError") return undefined;
  const code = (error as Error & { exitCode?: unknown }).exitCode;
  return typeof code === "number" ? code : undefined;
}

/** A queue the SDK callbacks push into and the generator drains. */
class EventQueue {
  private items: RunEvent[] = [];
  private wake: (() => void) | undefined;
  push(event: RunEvent): void {
    this.items.push(event);
    this.wake?.();
  }
  async *drain(): AsyncGenerator<RunEvent> {
    while (true) {
      const event = this.items.shift();
      if (event) {
        yield event;
        if (event.type === "exit") return;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

/** Create the E2B runner. `status()` never calls the network: a key means available. */
export function createE2BRunner(options: E2BRunnerOptions): SandboxRunner {
  const logger = options.logger.child({ adapter: "sandbox-e2b" });
  const sdk = options.sdk ?? realSdk;
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  /** E2B lifetime: the longest run, then the idle period, plus a margin. */
  const lifetimeMs = limits.timeoutMs.max + idleMs + LIFETIME_MARGIN_MS;
  const pool = new Map<string, Warm>();
  let closed = false;

  const killSandbox = (warm: Warm, why: string): void => {
    if (warm.reaper) clearTimeout(warm.reaper);
    warm.sandbox
      .then((sandbox) =>
        sandbox.kill().then(() => logger.debug({ sandboxId: sandbox.sandboxId, why }, "sandbox killed")),
      )
      .catch((error: unknown) => logger.warn({ err: error, why }, "sandbox not killed"));
  };

  const drop = (key: string, warm: Warm, why: string): void => {
    warm.dead = true;
    if (pool.get(key) === warm) pool.delete(key);
    killSandbox(warm, why);
  };

  const create = (key: string): Warm => {
    const warm: Warm = {
      sandbox: sdk.Sandbox.create({ apiKey: options.apiKey, timeoutMs: lifetimeMs }),
      active: 0,
      expiresAt: Date.now() + lifetimeMs,
      dead: false,
    };
    pool.set(key, warm);
    warm.sandbox.then(
      (sandbox) => logger.info({ sandboxId: sandbox.sandboxId }, "sandbox created"),
      () => {
        warm.dead = true;
        if (pool.get(key) === warm) pool.delete(key);
      },
    );
    return warm;
  };

  /** Take the user's warm sandbox (or create one); `reused` says it existed before. */
  const acquire = async (
    key: string,
    timeoutMs: number,
  ): Promise<{ warm: Warm; sandbox: E2BSandboxLike; reused: boolean }> => {
    const existing = pool.get(key);
    const reused = existing !== undefined && !existing.dead;
    const warm = reused ? existing : create(key);
    if (warm.reaper) clearTimeout(warm.reaper);
    warm.reaper = undefined;
    warm.active += 1;
    let sandbox: E2BSandboxLike;
    try {
      sandbox = await warm.sandbox;
    } catch (error) {
      warm.active -= 1;
      throw new UnavailableError(`E2B unavailable: ${describe(error)}`, error);
    }
    if (warm.expiresAt - Date.now() < timeoutMs + idleMs + REFRESH_MARGIN_MS) {
      try {
        await sandbox.setTimeout(lifetimeMs);
        warm.expiresAt = Date.now() + lifetimeMs;
      } catch (error) {
        warm.active -= 1;
        drop(key, warm, "timeout not extended");
        throw new UpstreamError(`E2B failed: ${describe(error)}`, error);
      }
    }
    return { warm, sandbox, reused };
  };

  const release = (key: string, warm: Warm): void => {
    warm.active -= 1;
    if (warm.active > 0 || warm.dead || closed) return;
    warm.reaper = setTimeout(() => {
      if (warm.active === 0 && pool.get(key) === warm) {
        pool.delete(key);
        killSandbox(warm, "idle");
      }
    }, idleMs);
    warm.reaper.unref?.();
  };

  /** Write the files and start the command; SDK failures become UpstreamError. */
  const start = async (
    sandbox: E2BSandboxLike,
    request: RunRequest,
    runDir: string,
    timeoutMs: number,
    onStdout: (data: string) => void,
    onStderr: (data: string) => void,
  ): Promise<E2BCommandHandle> => {
    const entry = entryPath(request);
    try {
      for (const [path, content] of Object.entries(request.files ?? {})) {
        const data = typeof content === "string" ? content : new Blob([Uint8Array.from(content)]);
        await sandbox.files.write(`${runDir}/${safeRelativePath(path, `files.${path}`).join("/")}`, data);
      }
      await sandbox.files.write(`${runDir}/${entry}`, request.code);
      return await sandbox.commands.run(e2bCommand(request.language, entry), {
        background: true,
        cwd: runDir,
        envs: { PYTHONUNBUFFERED: "1" },
        // Our own timer kills first; E2B's is the backstop if this process goes away.
        timeoutMs: timeoutMs + 5000,
        onStdout,
        onStderr,
      });
    } catch (error) {
      throw new UpstreamError(`E2B failed: ${describe(error)}`, error);
    }
  };

  async function* run(request: RunRequest): AsyncGenerator<RunEvent> {
    if (closed) throw new UnavailableError("E2B unavailable: runner closed");
    validateRequestPaths(request);
    const requested = Number.isFinite(request.timeoutMs) ? request.timeoutMs : limits.timeoutMs.default;
    const timeoutMs = Math.min(limits.timeoutMs.max, Math.max(1000, requested));
    if (request.signal?.aborted) {
      yield { type: "exit", exitCode: null, error: "cancelled", executionTime: 0, truncated: false };
      return;
    }
    const key = request.userId ?? "anonymous";
    const runDir = `${RUNS_ROOT}/${randomUUID()}`;
    const queue = new EventQueue();
    let emitted = 0;
    let truncated = false;
    let finished = false;
    let stderrTail = "";
    let failure: RunFailure | undefined;
    let killed = false;
    let handle: E2BCommandHandle | undefined;
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();

    const kill = (why: RunFailure | undefined): void => {
      if (killed || finished) return;
      killed = true;
      failure ??= why;
      handle?.kill().catch((error: unknown) => logger.warn({ err: error }, "command not killed"));
    };
    const output = (type: "stdout" | "stderr") => (data: string) => {
      if (finished || truncated) return;
      let text = data;
      const bytes = encoder.encode(data);
      if (emitted + bytes.byteLength > limits.outputBytes) {
        text = decoder.decode(bytes.subarray(0, limits.outputBytes - emitted));
        truncated = true;
      }
      emitted += Math.min(bytes.byteLength, limits.outputBytes - emitted);
      if (text.length > 0) queue.push({ type, data: text });
      if (type === "stderr") stderrTail = (stderrTail + text).slice(-2000);
      if (truncated) kill(undefined);
    };

    let acquired = await acquire(key, timeoutMs);
    const startedAt = performance.now();
    try {
      handle = await start(acquired.sandbox, request, runDir, timeoutMs, output("stdout"), output("stderr"));
    } catch (error) {
      drop(key, acquired.warm, "failed to start a run");
      release(key, acquired.warm);
      if (!acquired.reused) throw error;
      logger.warn({ err: error }, "warm sandbox failed; retrying on a fresh one");
      acquired = await acquire(key, timeoutMs);
      try {
        handle = await start(
          acquired.sandbox,
          request,
          runDir,
          timeoutMs,
          output("stdout"),
          output("stderr"),
        );
      } catch (retryError) {
        drop(key, acquired.warm, "failed to start a run");
        release(key, acquired.warm);
        throw retryError;
      }
    }
    const { warm, sandbox } = acquired;
    const timer = setTimeout(() => kill("timeout"), timeoutMs);
    const onAbort = (): void => kill("cancelled");
    request.signal?.addEventListener("abort", onAbort, { once: true });
    // Output past the cap, or an abort, may have come while the command was starting.
    if (request.signal?.aborted) kill("cancelled");
    if (killed) handle.kill().catch((error: unknown) => logger.warn({ err: error }, "command not killed"));

    const exit = (exitCode: number | null, error?: RunFailure): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      const executionTime = Math.round(performance.now() - startedAt);
      const event: RunEvent = {
        type: "exit",
        exitCode,
        ...(error ? { error } : {}),
        executionTime,
        truncated,
      };
      logger.debug(
        { language: request.language, sandboxId: sandbox.sandboxId, ...event },
        "sandbox run finished",
      );
      queue.push(event);
    };

    handle.wait().then(
      (result) => exit(killed ? null : result.exitCode, failure),
      (error: unknown) => {
        const code = exitCodeOf(error);
        if (code !== undefined) {
          if (killed) return exit(null, failure);
          const memory = code === 137 || MEMORY_PATTERN.test(stderrTail);
          return exit(code, memory ? "memory" : undefined);
        }
        if (killed) return exit(null, failure);
        logger.error({ err: error, sandboxId: sandbox.sandboxId }, "sandbox failed mid-run");
        drop(key, warm, "failed mid-run");
        queue.push({
          type: "stderr",
          data: `\n[sandbox error: the E2B sandbox failed during the run: ${describe(error)}]\n`,
        });
        exit(null, "error");
      },
    );

    try {
      yield* queue.drain();
    } finally {
      // Also reached when the consumer stops early: nothing may outlive the run.
      if (!finished) {
        kill("cancelled");
        exit(null, "cancelled");
      }
      if (!warm.dead) {
        sandbox.files
          .remove(runDir)
          .catch((error: unknown) => logger.warn({ err: error, runDir }, "run dir not removed"));
      }
      release(key, warm);
    }
  }

  return {
    kind: "e2b",
    limits,
    status() {
      if (closed) return { available: false, reason: "closed", languages: [] };
      if (!options.apiKey) return { available: false, reason: "E2B_API_KEY is not set", languages: [] };
      return { available: true, languages: [...LANGUAGES], isolation: "microvm" };
    },
    run,
    async openPty(request) {
      if (closed || !sdk.createPtySandbox) throw new UnavailableError("E2B terminals are unavailable");
      return openE2BPty(sdk.createPtySandbox, options.apiKey, request, logger);
    },
    async close() {
      closed = true;
      const all = [...pool.values()];
      pool.clear();
      await Promise.all(
        all.map(async (warm) => {
          if (warm.reaper) clearTimeout(warm.reaper);
          try {
            await (await warm.sandbox).kill();
          } catch (error) {
            logger.warn({ err: error }, "sandbox not killed on close");
          }
        }),
      );
    },
  };
}
