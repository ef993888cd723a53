import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  counter,
  mkdirExisting,
  numberIn,
  read,
  removeAsync,
  removeSync,
  sweep,
  tryRemove,
  words,
  write,
  writeIfPresent,
} from "./cgroup-files.ts";

/** One run's memory + pids group, in one directory (v2) or one per hierarchy (v1). */
export interface RunCgroup {
  /** Its directory in each hierarchy. */
  readonly dirs: string[];
  /** The `cgroup.procs` files a process writes its pid to, before anything else, to join. */
  readonly procs: string[];
  /** Whether the kernel OOM-killed a process of the run: it went over its memory. */
  oomKilled(): boolean;
  /** Whether a fork or clone of the run was refused at its process limit. */
  pidsExhausted(): boolean;
  /** The run's highest memory use so far in bytes, where the kernel reports it. */
  peakBytes(): number | undefined;
  /** Kill whatever is left in the group and remove it (false when it would not go). */
  remove(): Promise<boolean>;
  /** `remove`, blocking (the start-up check). */
  removeNow(): boolean;
}

/** The cgroups of one Aura instance: a directory per hierarchy holding every run's group. */
export interface CgroupHost {
  readonly version: 1 | 2;
  /** `aura-<instance>` under the server's own cgroup, one per hierarchy (v1: memory, pids). */
  readonly roots: string[];
  /** Create the group `name` with these limits; swap is off for it. */
  create(name: string, limits: { memoryBytes: number; processes: number }): RunCgroup;
  /** Remove the instance's directories once every run's group is gone. */
  close(): void;
}

/** cgroup v2: one directory per run below `<own>/aura-<instance>`, memory and pids enabled down to it. */
export function setupV2(own: string, name: string, pid: number): CgroupHost {
  const needed = ["memory", "pids"];
  const available = words(join(own, "cgroup.controllers"));
  const missing = needed.filter((c) => !available.includes(c));
  if (missing.length > 0) throw new Error(`${own} lacks the ${missing.join(" and ")} controller`);
  const enable = (dir: string) => {
    const enabled = words(join(dir, "cgroup.subtree_control"));
    if (needed.every((c) => enabled.includes(c))) return;
    write(join(dir, "cgroup.subtree_control"), needed.map((c) => `+${c}`).join(" "));
  };
  try {
    enable(own);
  } catch (error) {
    // "No internal processes": a cgroup holding processes cannot hand controllers to children.
    // When the server is alone in its (delegated) cgroup it moves into a leaf of its own.
    if ((error as NodeJS.ErrnoException).code !== "EBUSY") throw error;
    const procs = read(join(own, "cgroup.procs")).split("\n").filter(Boolean).map(Number);
    if (procs.some((p) => p !== pid)) {
      throw new Error(`${own} holds other processes; give Aura a cgroup of its own (systemd: Delegate=yes)`);
    }
    const leaf = join(own, `${name}-server`);
    mkdirExisting(leaf);
    write(join(leaf, "cgroup.procs"), pid);
    enable(own);
  }
  const root = join(own, name);
  mkdirExisting(root);
  enable(root);
  sweep([root], "cgroup.kill");
  return {
    version: 2,
    roots: [root],
    create(runName, limits) {
      const dir = join(root, runName);
      mkdirSync(dir);
      try {
        write(join(dir, "memory.max"), limits.memoryBytes);
        writeIfPresent(join(dir, "memory.swap.max"), 0);
        // One OOM kill ends the whole run, not just its biggest process.
        writeIfPresent(join(dir, "memory.oom.group"), 1);
        write(join(dir, "pids.max"), limits.processes);
      } catch (error) {
        removeSync([dir], "cgroup.kill");
        throw error;
      }
      return {
        dirs: [dir],
        procs: [join(dir, "cgroup.procs")],
        oomKilled: () => (counter(join(dir, "memory.events"), "oom_kill") ?? 0) > 0,
        pidsExhausted: () => (counter(join(dir, "pids.events"), "max") ?? 0) > 0,
        peakBytes: () => numberIn(join(dir, "memory.peak")),
        remove: () => removeAsync([dir], "cgroup.kill"),
        removeNow: () => removeSync([dir], "cgroup.kill"),
      };
    },
    close() {
      tryRemove([root], undefined);
    },
  };
}

/** cgroup v1: a run's group in the memory and in the pids hierarchy, under the same name. */
export function setupV1(memoryRoot: string, pidsRoot: string): CgroupHost {
  mkdirExisting(memoryRoot);
  mkdirExisting(pidsRoot);
  const roots = [memoryRoot, pidsRoot];
  sweep(roots, undefined);
  return {
    version: 1,
    roots,
    create(runName, limits) {
      const memory = join(memoryRoot, runName);
      const pids = join(pidsRoot, runName);
      mkdirSync(memory);
      try {
        mkdirSync(pids);
        write(join(memory, "memory.limit_in_bytes"), limits.memoryBytes);
        // memsw (memory + swap) may only be set at or above the memory limit: equal means no swap.
        writeIfPresent(join(memory, "memory.memsw.limit_in_bytes"), limits.memoryBytes);
        writeIfPresent(join(memory, "memory.swappiness"), 0);
        write(join(pids, "pids.max"), limits.processes);
      } catch (error) {
        removeSync([memory, pids], undefined);
        throw error;
      }
      const oomControl = join(memory, "memory.oom_control");
      return {
        dirs: [memory, pids],
        procs: [join(memory, "cgroup.procs"), join(pids, "cgroup.procs")],
        // oom_kill is there since Linux 4.13; before it, a hit limit (failcnt) is the best sign.
        oomKilled: () =>
          (counter(oomControl, "oom_kill") ?? numberIn(join(memory, "memory.failcnt")) ?? 0) > 0,
        pidsExhausted: () => (counter(join(pids, "pids.events"), "max") ?? 0) > 0,
        peakBytes: () => numberIn(join(memory, "memory.max_usage_in_bytes")),
        remove: () => removeAsync([memory, pids], undefined),
        removeNow: () => removeSync([memory, pids], undefined),
      };
    },
    close() {
      tryRemove(roots, undefined);
    },
  };
}
