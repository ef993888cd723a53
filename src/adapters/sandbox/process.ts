import { readFileSync } from "node:fs";
import type { Subprocess } from "bun";
import { AsyncQueue } from "../../async-queue.ts";
import type { RunEvent, RunFailure } from "./types.ts";

/**
 * Heuristic for "the program ran out of memory" when only the address-space rlimit bounds it
 * (no cgroup, so there is no OOM kill to read): a non-zero exit whose stderr tail shows Python's
 * `MemoryError`, JSC's `RangeError: Out of memory`, a Zig/Bun `OutOfMemory` panic, a
 * C++ `bad_alloc`, or ENOMEM text. A program could print these itself — it then only
 * mislabels its own failure.
 */
const MEMORY_PATTERN = /\bMemoryError\b|out of memory|OutOfMemory|bad_alloc|Cannot allocate memory/i;
const STDERR_TAIL = 8192;
/** SIGXCPU: the CPU-seconds rlimit fired (128 + 24 as the exit status bwrap reports). */
const CPU_LIMIT_STATUS = 152;

export interface SupervisedRun {
  proc: Subprocess<"ignore" | "pipe", "pipe", "pipe">;
  timeoutMs: number;
  outputBytes: number;
  signal?: AbortSignal;
  startedAt: number;
  /**
   * How running out of memory shows: the run's cgroup saw an OOM kill (polled, so one killed
   * process ends the whole run), or — rlimits only — an allocation failure in stderr.
   */
  memory: { exceeded: () => boolean } | "stderr";
}

/** How often a running run's cgroup is asked whether it hit its memory limit. */
const MEMORY_POLL_MS = 100;

/**
 * Kill a sandbox. The namespace's init (bwrap's child) goes first: its death takes every
 * process in the PID namespace with it and the outer bwrap reaps it and exits. Killing the
 * outer bwrap first would orphan that init to host PID 1 as a zombie (which still counts
 * against the slot uid's RLIMIT_NPROC until reaped). The whole group is killed shortly after
 * as a fallback.
 */
export function killGroup(proc: Subprocess): void {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  let children: number[] = [];
  try {
    const text = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, "utf8");
    children = text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // Not readable (or already gone): fall through to killing the group.
  }
  for (const child of children) signalQuietly(child, "SIGKILL");
  const killAll = (): void => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    signalQuietly(-proc.pid, "SIGKILL");
    proc.kill("SIGKILL");
  };
  if (children.length === 0) killAll();
  else setTimeout(killAll, 250).unref();
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

/**
 * Stream a sandboxed process's output as RunEvents, enforcing the wall-clock timeout, the
 * output cap and cancellation; ends with exactly one `exit` event.
 */
export function supervise(run: SupervisedRun): AsyncQueue<RunEvent> {
  const { proc, signal } = run;
  const events = new AsyncQueue<RunEvent>();
  let failure: RunFailure | undefined;
  let killed = false;
  let truncated = false;
  let emitted = 0;
  let stderrTail = "";

  const stop = (reason: RunFailure | undefined): void => {
    if (killed) return;
    killed = true;
    failure ??= reason;
    killGroup(proc);
  };
  const timer = setTimeout(() => stop("timeout"), run.timeoutMs);
  const memory = run.memory;
  const poll =
    memory === "stderr"
      ? undefined
      : setInterval(() => {
          if (memory.exceeded()) stop("memory");
        }, MEMORY_POLL_MS);
  const onAbort = (): void => stop("cancelled");
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();

  const pump = async (stream: ReadableStream<Uint8Array>, type: "stdout" | "stderr"): Promise<void> => {
    const decoder = new TextDecoder("utf-8", { fatal: false });
    const reader = stream.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        if (truncated) continue;
        let chunk = value;
        if (emitted + chunk.byteLength > run.outputBytes) {
          chunk = chunk.subarray(0, run.outputBytes - emitted);
          truncated = true;
        }
        emitted += chunk.byteLength;
        const data = decoder.decode(chunk, { stream: !truncated });
        if (data.length > 0) {
          events.push({ type, data });
          if (type === "stderr") stderrTail = (stderrTail + data).slice(-STDERR_TAIL);
        }
        if (truncated) {
          stop(undefined);
          break;
        }
      }
      const rest = truncated ? "" : decoder.decode();
      if (rest.length > 0) events.push({ type, data: rest });
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  };

  const finish = async (): Promise<void> => {
    const pumps = Promise.all([pump(proc.stdout, "stdout"), pump(proc.stderr, "stderr")]);
    const status = await proc.exited;
    // The pipes close once every process in the namespace is gone; never wait on them forever.
    await Promise.race([pumps, Bun.sleep(500)]);
    clearTimeout(timer);
    clearInterval(poll);
    signal?.removeEventListener("abort", onAbort);
    const executionTime = Math.round(performance.now() - run.startedAt);
    if (!killed && status === CPU_LIMIT_STATUS) failure = "timeout";
    if (!killed && !failure) {
      const outOfMemory =
        memory === "stderr" ? status !== 0 && MEMORY_PATTERN.test(stderrTail) : memory.exceeded();
      if (outOfMemory) failure = "memory";
    }
    const exitCode = killed ? null : status;
    events.push({
      type: "exit",
      exitCode,
      ...(failure ? { error: failure } : {}),
      executionTime,
      truncated,
    });
    events.end();
  };
  finish().catch(() => {
    clearTimeout(timer);
    clearInterval(poll);
    killGroup(proc);
    const executionTime = Math.round(performance.now() - run.startedAt);
    events.push({ type: "exit", exitCode: null, error: "error", executionTime, truncated });
    events.end();
  });
  return events;
}
