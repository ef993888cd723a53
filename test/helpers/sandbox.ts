import { existsSync, readdirSync } from "node:fs";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LAUNCHER_MARK } from "../../src/adapters/sandbox/command.ts";
import {
  createLocalRunner,
  type LocalRunner,
  type LocalRunnerOptions,
} from "../../src/adapters/sandbox/local.ts";
import type { QueuedEvent, RunEvent, RunRequest } from "../../src/adapters/sandbox/types.ts";
import { derivedUidBase } from "../../src/config.ts";
import { silentLogger } from "./logs.ts";

/**
 * A fresh instance name and its derived uid range: test runners never share run dirs, cgroups
 * or uids with each other, with a server on this host, or with another checkout's tests.
 */
export function testInstance(): { instance: string; uidBase: number } {
  const instance = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  return { instance, uidBase: derivedUidBase(instance) };
}

/** Why sandbox tests cannot run here, or undefined when they can (bubblewrap present, root). */
export function sandboxSkipReason(): string | undefined {
  if (!Bun.which("bwrap")) return "bubblewrap (bwrap) is not installed";
  if (process.getuid?.() !== 0) return "the local sandbox needs root to switch to per-slot uids";
  return undefined;
}

export interface Collected {
  events: (RunEvent | QueuedEvent)[];
  stdout: string;
  stderr: string;
  exit: Extract<RunEvent, { type: "exit" }>;
  /** Milliseconds from calling run to the exit event, as the caller saw it. */
  elapsed: number;
}

/** Every byte any sandboxed run printed in this process, for canary checks. */
export const allOutput: string[] = [];

/** Drain a run into its stdout, stderr and exit event. */
export async function collect(events: AsyncIterable<RunEvent | QueuedEvent>): Promise<Collected> {
  const started = performance.now();
  const seen: (RunEvent | QueuedEvent)[] = [];
  let stdout = "";
  let stderr = "";
  let exit: Collected["exit"] | undefined;
  for await (const event of events) {
    seen.push(event);
    if (event.type === "stdout") stdout += event.data;
    if (event.type === "stderr") stderr += event.data;
    if (event.type === "exit") exit = event;
  }
  if (!exit) throw new Error("run ended without an exit event");
  allOutput.push(stdout, stderr);
  return { events: seen, stdout, stderr, exit, elapsed: performance.now() - started };
}

/** `ps` lines (pid, user, command) of the processes of the given uids. */
function psLines(uids: string): string[] {
  return Bun.spawnSync(["ps", "-ww", "-o", "pid=,user=,cmd=", "-u", uids])
    .stdout.toString()
    .split("\n")
    .filter((line) => line.trim());
}

/** A local runner with a private work root, plus helpers to run and to inspect leftovers. */
export async function sandboxFixture(
  slots = 2,
  options: Partial<LocalRunnerOptions> = {},
): Promise<{
  runner: LocalRunner;
  workRoot: string;
  run: (request: Omit<RunRequest, "timeoutMs"> & { timeoutMs?: number }) => Promise<Collected>;
  leftoverProcesses: () => Promise<string>;
  leftoverDirs: () => Promise<string[]>;
  leftoverCgroups: () => Promise<string[]>;
  dispose: () => Promise<void>;
}> {
  const workRoot = await mkdtemp(join(tmpdir(), "aura-sandbox-test-"));
  // The slot uids must be able to traverse the root to reach their own 0700 work dir.
  await chmod(workRoot, 0o711);
  const runner = createLocalRunner({
    logger: silentLogger(),
    slots,
    workRoot,
    ...testInstance(),
    ...options,
  });
  const uids = runner.uids.join(",");
  return {
    runner,
    workRoot,
    run: (request) => collect(runner.run({ timeoutMs: 5000, ...request })),
    // Namespace teardown after the init dies is asynchronous: poll briefly before judging.
    leftoverProcesses: async () => {
      let out = "";
      for (let i = 0; i < 40; i++) {
        // Idle pre-started sandboxes (the launcher waiting for a run) are not leftovers.
        out = psLines(uids)
          .filter((line) => !line.includes(LAUNCHER_MARK))
          .join("\n");
        if (out === "") return "";
        await Bun.sleep(50);
      }
      return out;
    },
    // The empty work dirs of idle pre-started sandboxes are not leftovers either.
    leftoverDirs: async () => {
      const idle = new Set((await runner.idleWorkDirs()).map((dir) => dir.split("/").at(-1)));
      if (!existsSync(runner.runRoot)) return [];
      return (await readdir(runner.runRoot)).filter((dir) => dir.startsWith("run-") && !idle.has(dir));
    },
    // So are the cgroups of idle sandboxes; every other group of the instance is a leftover.
    leftoverCgroups: async () => {
      const idle = new Set(await runner.idleCgroupDirs());
      return runner
        .cgroupRoots()
        .flatMap((root) => (existsSync(root) ? readdirSync(root, { withFileTypes: true }) : []))
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(entry.parentPath, entry.name))
        .filter((dir) => !idle.has(dir));
    },
    dispose: async () => {
      await runner.close();
      await rm(workRoot, { recursive: true, force: true });
    },
  };
}
