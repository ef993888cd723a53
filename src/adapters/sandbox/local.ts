import { closeSync, openSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { DERIVED_UID_BLOCK } from "../../config.ts";
import { UnavailableError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { type CgroupSources, setupCgroups } from "./cgroup.ts";
import type { CgroupHost, RunCgroup } from "./cgroup-versions.ts";
import { type HostTools, launcherArgs, resolveTools, sandboxCommand } from "./command.ts";
import { openLocalPty } from "./local-pty.ts";
import { killGroup, supervise } from "./process.ts";
import { writeSeccompFilter } from "./seccomp.ts";
import { SlotPool } from "./slots.ts";
import type {
  PtyRequest,
  PtySession,
  RunEvent,
  RunLanguage,
  RunLimits,
  RunRequest,
  SandboxRunner,
} from "./types.ts";
import {
  createEmptyWorkDir,
  entryPath,
  fillWorkDir,
  prepareRunRoot,
  removeWorkDir,
  validateRequestPaths,
} from "./workdir.ts";

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: { default: 10_000, max: 30_000 },
  // 512 MiB per run (its cgroup; else address space per process), as much as an E2B sandbox has.
  memoryBytes: 512 * 1024 * 1024,
  processes: 64,
  fileSizeBytes: 10 * 1024 * 1024,
  outputBytes: 1024 * 1024,
};

/** The compiled seccomp program, beside the run dirs (root's, mode 600). */
const SECCOMP_FILE = "seccomp.bpf";
/** The child's file descriptor bwrap reads the seccomp program from. */
const SECCOMP_FD = 3;

/** Each tmpfs of a run (/tmp, /dev/shm) by default; counted inside the run's memory. */
const DEFAULT_TMP_BYTES = 64 * 1024 * 1024;

export interface LocalRunnerOptions {
  logger: Logger;
  /** Names this instance's run dirs and cgroups on the host (`config.sandbox.instance`). */
  instance: string;
  /** Host uids: `uidBase` for the availability check, `uidBase + 1 + slot` for runs. */
  uidBase: number;
  /** Size of each tmpfs of a run (default 64 MiB). */
  tmpBytes?: number;
  /** Where the kernel's cgroup files are (tests give a tree of their own, or an empty one). */
  cgroupSources?: CgroupSources;
  bunPath?: string;
  pythonPath?: string;
  /** Override where bubblewrap is looked up (tests use a missing path). */
  bwrapPath?: string;
  limits?: Partial<RunLimits>;
  /** Concurrent runs; each slot has its own host uid (`uidBase + 1 + slot`). */
  slots?: number;
  /** Terminals open at once (default 8); each has its own host uid, after the run slots'. */
  terminals?: number;
  /**
   * Start each slot's next sandbox ahead of its run (default true), so a run only waits for
   * its runtime to start. An idle sandbox holds no user data and is used by exactly one run.
   */
  prestart?: boolean;
  /**
   * Host directory that holds this instance's `aura-<instance>` directory of run dirs (default:
   * the OS tmpdir). The slot uids must be able to traverse it (e.g. 0711 or 1777): bwrap binds
   * as that uid.
   */
  workRoot?: string;
}

/** A local runner that also lets a scheduler pick the slot (and so the uid) of a run. */
export interface LocalRunner extends SandboxRunner {
  readonly kind: "local";
  readonly slots: number;
  /** The host uid of each slot. */
  readonly uids: readonly number[];
  /** `<workRoot>/aura-<instance>`: every run dir of this instance is in it. */
  readonly runRoot: string;
  /** The directories holding this instance's run cgroups (empty until probed, or without cgroups). */
  cgroupRoots(): string[];
  /** The work dirs of the sandboxes started ahead of their run (empty until a run takes one). */
  idleWorkDirs(): Promise<string[]>;
  /** The cgroup directories of those sandboxes. */
  idleCgroupDirs(): Promise<string[]>;
  /** Run in a given slot. The caller guarantees no two concurrent runs share a slot. */
  runInSlot(request: RunRequest, slot: number): AsyncIterable<RunEvent>;
}

type Status = ReturnType<SandboxRunner["status"]>;

/** A started sandbox waiting on stdin for its run, and the host directory bound at its /work. */
interface Box {
  proc: Subprocess<"pipe", "pipe", "pipe">;
  workDir: string;
  /** The run's memory + pids group; the process was in it before it started bwrap. */
  cgroup: RunCgroup | undefined;
}

/**
 * Create the bubblewrap runner. It probes once (a sandboxed `true`) and, when that fails,
 * reports itself unavailable and refuses every run — it never runs code unsandboxed.
 */
export function createLocalRunner(options: LocalRunnerOptions): LocalRunner {
  const logger = options.logger.child({ adapter: "sandbox-local" });
  const limits: RunLimits = { ...DEFAULT_LIMITS, ...options.limits };
  // An instance's uids are uidBase … uidBase + slots, within one derived block of 1024.
  const terminalCount = Math.min(256, Math.max(0, options.terminals ?? 8));
  const slots = Math.min(
    DERIVED_UID_BLOCK - 1 - terminalCount,
    Math.max(1, options.slots ?? navigator.hardwareConcurrency ?? 1),
  );
  const pool = new SlotPool(slots);
  const tmpBytes = options.tmpBytes ?? DEFAULT_TMP_BYTES;
  const uids = Array.from({ length: slots }, (_, slot) => options.uidBase + 1 + slot);
  // A terminal's uid is its own for as long as it is open: RLIMIT_NPROC counts per uid host-wide.
  const terminalUids = Array.from({ length: terminalCount }, (_, i) => options.uidBase + 1 + slots + i);
  const freeTerminalUids = [...terminalUids];
  const { tools, missing } = resolveTools(options);
  const isRoot = process.getuid?.() === 0;
  let cached: Status | undefined;
  let closed = false;
  let cgroups: CgroupHost | undefined;
  let seccompFile: string | undefined;
  let serial = 0;

  // At boot, not at the first run: a crash may have left a run's project files on the host.
  const workRoot = options.workRoot ?? tmpdir();
  const runRoot = join(workRoot, `aura-${options.instance}`);
  let runRootProblem: string | undefined;
  if (tools && isRoot) {
    try {
      prepareRunRoot(workRoot, options.instance);
    } catch (error) {
      runRootProblem = `run directory: ${(error as Error).message}`;
    }
  }

  const languages = (t: HostTools): RunLanguage[] => [
    ...(t.bun ? (["javascript", "typescript"] as const) : []),
    ...(t.python ? (["python"] as const) : []),
  ];

  /**
   * The seccomp program as the child's fd 3 (bwrap reads it from there), opened per spawn and
   * closed in the server right after.
   */
  const withFilter = <T>(spawn: (extra: number[]) => T): T => {
    const fd = seccompFile ? openSync(seccompFile, "r") : undefined;
    try {
      return spawn(fd === undefined ? [] : [fd]);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };

  /** A sandboxed `true` as the probe uid (in `cgroup` when given): undefined when it worked, else why not. */
  const check = (t: HostTools, cgroup: RunCgroup | undefined): string | undefined => {
    const cmd = sandboxCommand(t, {
      uid: options.uidBase,
      limits,
      tmpBytes,
      timeoutMs: 5000,
      cgroup,
      ...(seccompFile ? { seccompFd: SECCOMP_FD } : {}),
      program: ["/usr/bin/true"],
    });
    try {
      const result = withFilter((extra) =>
        Bun.spawnSync(cmd, { env: {}, stdio: ["ignore", "ignore", "pipe", ...extra], timeout: 5000 }),
      );
      if (result.exitCode === 0) return undefined;
      const stderr = result.stderr.toString().trim().slice(0, 300);
      return `sandbox check failed: ${stderr || `exit ${result.exitCode}`}`;
    } catch (error) {
      return `sandbox check failed: ${String(error)}`;
    }
  };

  /** Per-run cgroups if they can be made and a sandbox starts inside one; else why not. */
  const cgroupsOrReason = (t: HostTools): { host: CgroupHost } | { reason: string } => {
    const setup = setupCgroups(options.instance, options.cgroupSources);
    if (!("host" in setup)) return setup;
    let problem: string | undefined;
    try {
      const group = setup.host.create("check", limits);
      problem = check(t, group);
      group.removeNow();
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem === undefined) return setup;
    setup.host.close();
    return { reason: problem };
  };

  const probe = (): Status => {
    const down = (reason: string): Status => ({ available: false, reason, languages: [] });
    if (!tools) return down(`missing ${missing.join(", ")}`);
    if (!isRoot) return down("the server must run as root to drop each run to its own uid");
    if (runRootProblem) return down(runRootProblem);
    const taken = hostUserAmong([options.uidBase, ...uids, ...terminalUids]);
    if (taken)
      return down(`uid ${taken.uid} is the host user ${taken.name}: choose another SANDBOX_UID_BASE`);
    const filter = join(runRoot, SECCOMP_FILE);
    const filterProblem = writeSeccompFilter(filter);
    if (filterProblem) logger.warn({ reason: filterProblem }, "sandbox runs get no seccomp filter");
    else seccompFile = filter;
    const setup = cgroupsOrReason(tools);
    if ("host" in setup) {
      cgroups = setup.host;
      logger.info({ cgroup: cgroups.version, roots: cgroups.roots }, "each sandbox run gets its own cgroup");
    } else {
      const failed = check(tools, undefined);
      if (failed) return down(failed);
      logger.warn(
        { reason: setup.reason },
        "no cgroup for sandbox runs: memory and processes are limited per process (rlimits), not per run",
      );
    }
    return {
      available: true,
      languages: languages(tools),
      isolation: cgroups ? "cgroup" : "rlimit",
      seccomp: seccompFile !== undefined,
    };
  };

  const status = (): Status => {
    if (!cached) {
      cached = probe();
      if (cached.available) {
        logger.info({ languages: cached.languages, isolation: cached.isolation }, "sandbox available");
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
    const uid = uids[slot] as number;
    const workDir = await createEmptyWorkDir(runRoot, uid);
    let cgroup: RunCgroup | undefined;
    try {
      cgroup = cgroups?.create(`slot${slot}-${++serial}`, limits);
      const cmd = sandboxCommand(t, {
        uid,
        limits,
        tmpBytes,
        timeoutMs: limits.timeoutMs.max,
        cgroup,
        ...(seccompFile ? { seccompFd: SECCOMP_FD } : {}),
        workDir,
        program: launcherArgs(t),
      });
      const proc = withFilter((extra) =>
        Bun.spawn(cmd, { env: {}, stdio: ["pipe", "pipe", "pipe", ...extra], detached: true }),
      );
      return { proc, workDir, cgroup };
    } catch (error) {
      await cgroup?.remove();
      await removeWorkDir(workDir);
      throw error;
    }
  }

  async function discard(box: Box): Promise<void> {
    if (alive(box)) {
      killGroup(box.proc);
      await box.proc.exited;
    }
    // Whatever the namespace's teardown has not reached yet dies with the group.
    if (box.cgroup && !(await box.cgroup.remove())) {
      logger.error({ workDir: box.workDir }, "a sandbox cgroup would not go: its processes outlive the run");
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
    const uid = uids[slot] as number;
    const box = await takeBox(tools, slot);
    const cgroup = box.cgroup;
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
        // With a cgroup the kernel says when memory ran out; without one, stderr is all there is.
        memory: cgroup ? { exceeded: () => cgroup.oomKilled() } : "stderr",
      });
      for await (const event of events) {
        if (event.type === "exit") {
          const memoryPeakBytes = cgroup?.peakBytes();
          logger.debug(
            { language: request.language, slot, memoryPeakBytes, ...event },
            "sandbox run finished",
          );
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

  async function openPty(request: PtyRequest): Promise<PtySession> {
    const state = status();
    if (closed || !state.available || !tools) {
      throw new UnavailableError(`Local sandbox is unavailable: ${closed ? "closed" : state.reason}`);
    }
    const uid = freeTerminalUids.shift();
    if (uid === undefined)
      throw new UnavailableError("Every terminal of this server is in use; close one, or try again later");
    try {
      const pty = await openLocalPty(
        {
          tools,
          limits,
          tmpBytes,
          runRoot,
          cgroups,
          seccompFd: seccompFile ? SECCOMP_FD : undefined,
          withFilter,
          logger,
        },
        request,
        { uid, name: `term${uid - options.uidBase}-${++serial}` },
      );
      const close = pty.close;
      let released = false;
      return {
        ...pty,
        async close() {
          await close();
          if (!released) freeTerminalUids.push(uid);
          released = true;
        },
      };
    } catch (error) {
      freeTerminalUids.push(uid);
      throw error;
    }
  }

  return {
    kind: "local",
    limits,
    openPty,
    slots,
    uids,
    runRoot,
    cgroupRoots: () => cgroups?.roots ?? [],
    status,
    run,
    runInSlot,
    async idleWorkDirs() {
      const boxes = await Promise.all(ready.values());
      return boxes.flatMap((box) => (box ? [box.workDir] : []));
    },
    async idleCgroupDirs() {
      const boxes = await Promise.all(ready.values());
      return boxes.flatMap((box) => box?.cgroup?.dirs ?? []);
    },
    async close() {
      closed = true;
      const idle = await Promise.all(ready.values());
      ready.clear();
      await Promise.all(idle.map((box) => (box ? discard(box) : undefined)));
      cgroups?.close();
      if (seccompFile) rmSync(seccompFile, { force: true });
      try {
        rmdirSync(runRoot);
      } catch {
        // Not there, or a run still in flight owns a dir in it: the next boot sweeps it.
      }
    },
  };
}

/** The first of `uids` that /etc/passwd names (a sandbox must never run as a real account). */
function hostUserAmong(uids: number[]): { uid: number; name: string } | undefined {
  let passwd: string;
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    return undefined;
  }
  const wanted = new Set(uids);
  for (const line of passwd.split("\n")) {
    const [name, , uid] = line.split(":");
    if (name && uid && wanted.has(Number(uid))) return { uid: Number(uid), name };
  }
  return undefined;
}
