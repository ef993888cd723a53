import { tmpdir } from "node:os";
import type { Subprocess } from "bun";
import { UnavailableError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import {
  type HostTools,
  launcherArgs,
  PROBE_UID,
  resolveTools,
  SLOT_UID_BASE,
  sandboxCommand,
} from "./command.ts";
import { killGroup, supervise } from "./process.ts";
import { SlotPool } from "./slots.ts";
import type { RunEvent, RunLanguage, RunLimits, RunRequest, SandboxRunner } from "./types.ts";
import {
  createEmptyWorkDir,
  entryPath,
  fillWorkDir,
  removeWorkDir,
  validateRequestPaths,
} from "./workdir.ts";

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: { default: 10_000, max: 30_000 },
  // 512 MiB of address space, as much memory as an E2B sandbox has by default.
  memoryBytes: 512 * 1024 * 1024,
  processes: 64,
  fileSizeBytes: 10 * 1024 * 1024,
  outputBytes: 1024 * 1024,
};

export interface LocalRunnerOptions {
  logger: Logger;
  bunPath?: string;
  pythonPath?: string;
  /** Override where bubblewrap is looked up (tests use a missing path). */
  bwrapPath?: string;
  limits?: Partial<RunLimits>;
  /** Concurrent runs; each slot has its own host uid (60000 + slot). */
  slots?: number;
  /**
   * Start each slot's next sandbox ahead of its run (default true), so a run only waits for
   * its runtime to start. An idle sandbox holds no user data and is used by exactly one run.
   */
  prestart?: boolean;
  /**
   * Host directory that holds the per-run work directories (default: the OS tmpdir). The
   * slot uids must be able to traverse it (e.g. 0711 or 1777): bwrap binds as that uid.
   */
  workRoot?: string;
}

/** A local runner that also lets a scheduler pick the slot (and so the uid) of a run. */
export interface LocalRunner extends SandboxRunner {
  readonly kind: "local";
  readonly slots: number;
  /** The work dirs of the sandboxes started ahead of their run (empty until a run takes one). */
  idleWorkDirs(): Promise<string[]>;
  /** Run in a given slot. The caller guarantees no two concurrent runs share a slot. */
  runInSlot(request: RunRequest, slot: number): AsyncIterable<RunEvent>;
}

type Status = ReturnType<SandboxRunner["status"]>;

/** A started sandbox waiting on stdin for its run, and the host directory bound at its /work. */
interface Box {
  proc: Subprocess<"pipe", "pipe", "pipe">;
  workDir: string;
}

/**
 * Create the bubblewrap runner. It probes once (a sandboxed `true`) and, when that fails,
 * reports itself unavailable and refuses every run — it never runs code unsandboxed.
 */
export function createLocalRunner(options: LocalRunnerOptions): LocalRunner {
  const logger = options.logger.child({ adapter: "sandbox-local" });
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const slots = Math.max(1, options.slots ?? navigator.hardwareConcurrency ?? 1);
  const pool = new SlotPool(slots);
  const workRoot = options.workRoot ?? tmpdir();
  const { tools, missing } = resolveTools(options);
  let cached: Status | undefined;
  let closed = false;

  const languages = (t: HostTools): RunLanguage[] => [
    ...(t.bun ? (["javascript", "typescript"] as const) : []),
    ...(t.python ? (["python"] as const) : []),
  ];

  const probe = (): Status => {
    if (!tools) return { available: false, reason: `missing ${missing.join(", ")}`, languages: [] };
    if (process.getuid?.() !== 0) {
      return {
        available: false,
        reason: "the server must run as root to drop each run to its own uid",
        languages: [],
      };
    }
    const cmd = sandboxCommand(tools, {
      uid: PROBE_UID,
      limits,
      timeoutMs: 5000,
      program: ["/usr/bin/true"],
    });
    try {
      const result = Bun.spawnSync(cmd, {
        env: {},
        stdin: "ignore",
        stdout: "ignore",
        stderr: "pipe",
        timeout: 5000,
      });
      if (result.exitCode === 0) return { available: true, languages: languages(tools) };
      const stderr = result.stderr.toString().trim().slice(0, 300);
      return {
        available: false,
        reason: `sandbox check failed: ${stderr || `exit ${result.exitCode}`}`,
        languages: [],
      };
    } catch (error) {
      return { available: false, reason: `sandbox check failed: ${String(error)}`, languages: [] };
    }
  };

  const status = (): Status => {
    if (!cached) {
      cached = probe();
      if (cached.available) {
        logger.info({ languages: cached.languages }, "sandbox available");
        for (let slot = 0; slot < slots; slot++) prestartSlot(slot);
      } else logger.warn({ reason: cached.reason }, "sandbox unavailable");
    }
    return cached;
  };

  // Sandboxes started ahead of their run, one per slot at most.
  const ready = new Map<number, Promise<Box | undefined>>();
  const alive = (box: Box) => box.proc.exitCode === null && box.proc.signalCode === null;

  /**
   * Start a sandbox for `slot`: the launcher under the slot's uid and limits, with an empty
   * work dir. The CPU rlimit is set for the longest allowed run; the wall clock is enforced
   * per run by `supervise`.
   */
  async function startBox(t: HostTools, slot: number): Promise<Box> {
    const uid = SLOT_UID_BASE + slot;
    const workDir = await createEmptyWorkDir(workRoot, uid);
    try {
      const cmd = sandboxCommand(t, {
        uid,
        limits,
        timeoutMs: limits.timeoutMs.max,
        workDir,
        program: launcherArgs(t),
      });
      const proc = Bun.spawn(cmd, { env: {}, stdin: "pipe", stdout: "pipe", stderr: "pipe", detached: true });
      return { proc, workDir };
    } catch (error) {
      await removeWorkDir(workDir);
      throw error;
    }
  }

  async function discard(box: Box): Promise<void> {
    if (alive(box)) {
      killGroup(box.proc);
      await box.proc.exited;
    }
    await removeWorkDir(box.workDir).catch((error: unknown) =>
      logger.error({ err: error, workDir: box.workDir }, "work dir not removed"),
    );
  }

  function prestartSlot(slot: number): void {
    if (options.prestart === false || closed || !tools || ready.has(slot)) return;
    ready.set(
      slot,
      startBox(tools, slot).catch((error: unknown) => {
        logger.warn({ err: error, slot }, "could not start a sandbox ahead of its run");
        return undefined;
      }),
    );
  }

  /** The slot's pre-started sandbox if it is still alive, else a new one. */
  async function takeBox(t: HostTools, slot: number): Promise<Box> {
    const waiting = ready.get(slot);
    ready.delete(slot);
    const box = waiting ? await waiting : undefined;
    if (box && alive(box)) return box;
    if (box) await discard(box);
    return startBox(t, slot);
  }

  async function* runInSlot(request: RunRequest, slot: number): AsyncGenerator<RunEvent> {
    const state = status();
    if (closed || !state.available || !tools) {
      throw new UnavailableError(`Local sandbox is unavailable: ${closed ? "closed" : state.reason}`);
    }
    if (!state.languages.includes(request.language)) {
      throw new UnavailableError(`Local sandbox cannot run ${request.language}`);
    }
    validateRequestPaths(request);
    const requested = Number.isFinite(request.timeoutMs) ? request.timeoutMs : limits.timeoutMs.default;
    const timeoutMs = Math.min(limits.timeoutMs.max, Math.max(1000, requested));
    if (request.signal?.aborted) {
      yield { type: "exit", exitCode: null, error: "cancelled", executionTime: 0, truncated: false };
      return;
    }
    const uid = SLOT_UID_BASE + slot;
    const box = await takeBox(tools, slot);
    try {
      await fillWorkDir(box.workDir, request, uid);
      const startedAt = performance.now();
      try {
        box.proc.stdin.write(`${request.language}\n${entryPath(request)}\n`);
        await box.proc.stdin.end();
      } catch {
        // The sandbox died before its run: supervise reports how it ended.
      }
      const events = supervise({
        proc: box.proc,
        timeoutMs,
        outputBytes: limits.outputBytes,
        signal: request.signal,
        startedAt,
      });
      for await (const event of events) {
        if (event.type === "exit") {
          logger.debug({ language: request.language, slot, ...event }, "sandbox run finished");
        }
        yield event;
      }
    } finally {
      // Also reached when the consumer stops iterating early: nothing may outlive the run.
      await discard(box);
      prestartSlot(slot);
    }
  }

  async function* run(request: RunRequest): AsyncGenerator<RunEvent> {
    const slot = await pool.acquire(request.signal);
    try {
      if (slot === undefined) {
        yield { type: "exit", exitCode: null, error: "cancelled", executionTime: 0, truncated: false };
        return;
      }
      yield* runInSlot(request, slot);
    } finally {
      if (slot !== undefined) pool.release(slot);
    }
  }

  return {
    kind: "local",
    limits,
    slots,
    status,
    run,
    runInSlot,
    async idleWorkDirs() {
      const boxes = await Promise.all(ready.values());
      return boxes.flatMap((box) => (box ? [box.workDir] : []));
    },
    async close() {
      closed = true;
      const idle = await Promise.all(ready.values());
      ready.clear();
      await Promise.all(idle.map((box) => (box ? discard(box) : undefined)));
    },
  };
}
