import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One run's memory + pids group, in one directory (v2) or one per hierarchy (v1). */
export interface RunCgroup {
  /** Its directory in each hierarchy. */
  readonly dirs: string[];
  /** The `cgroup.procs` files a process writes its pid to, before anything else, to join. */
  readonly procs: string[];
  /** Whether the kernel OOM-killed a process of the run: it went over its memory. */
  oomKilled(): boolean;
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

/** Where the kernel's cgroup files are; tests point these at a fake tree. */
export interface CgroupSources {
  mountinfo: string;
  selfCgroup: string;
  pid: number;
}

/** How many times a group is killed and retried before it is given up (≈2 s in all). */
const REMOVE_TRIES = 400;
/** The wait before try `i`: the last processes of a finished run are usually gone within a millisecond or two. */
const retryDelay = (i: number): number => (i < 20 ? 1 : 5);

/**
 * Set up this instance's cgroups under the server's own cgroup (so a limit the operator put on
 * Aura's service covers its runs too), sweeping groups a crashed earlier process left behind.
 * cgroup v2 is used when it has the memory and pids controllers, else v1's memory and pids
 * hierarchies. Returns why not when neither is usable (the caller falls back to rlimits).
 */
export function setupCgroups(
  instance: string,
  sources: CgroupSources = {
    mountinfo: readFileSync("/proc/self/mountinfo", "utf8"),
    selfCgroup: readFileSync("/proc/self/cgroup", "utf8"),
    pid: process.pid,
  },
): { host: CgroupHost } | { reason: string } {
  const name = `aura-${instance}`;
  const mounts = parseMountinfo(sources.mountinfo);
  const own = parseSelfCgroup(sources.selfCgroup);
  const problems: string[] = [];
  const v2 = mounts.find((m) => m.fstype === "cgroup2");
  if (v2 && own.v2 !== undefined) {
    try {
      return { host: setupV2(join(v2.mountPoint, relativeTo(own.v2, v2.root)), name, sources.pid) };
    } catch (error) {
      problems.push(`cgroup v2: ${(error as Error).message}`);
    }
  }
  const memory = mounts.find((m) => m.fstype === "cgroup" && m.options.includes("memory"));
  const pids = mounts.find((m) => m.fstype === "cgroup" && m.options.includes("pids"));
  const ownMemory = own.v1.get("memory");
  const ownPids = own.v1.get("pids");
  if (memory && pids && ownMemory !== undefined && ownPids !== undefined) {
    try {
      return {
        host: setupV1(
          join(memory.mountPoint, relativeTo(ownMemory, memory.root), name),
          join(pids.mountPoint, relativeTo(ownPids, pids.root), name),
        ),
      };
    } catch (error) {
      problems.push(`cgroup v1: ${(error as Error).message}`);
    }
  } else if (!v2) problems.push("no cgroup v2 mount and no cgroup v1 memory and pids hierarchies");
  return { reason: problems.join("; ") || "no cgroup hierarchy with memory and pids controllers" };
}

interface Mount {
  root: string;
  mountPoint: string;
  fstype: string;
  options: string[];
}

/** The cgroup mounts of /proc/self/mountinfo (mount root, mount point, type, super options). */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const fields = left.split(" ");
    const [fstype, , superOptions = ""] = right.split(" ");
    if (fstype !== "cgroup" && fstype !== "cgroup2") continue;
    const decode = (s: string) =>
      s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    mounts.push({
      root: decode(fields[3] ?? "/"),
      mountPoint: decode(fields[4] ?? ""),
      fstype,
      options: superOptions.split(","),
    });
  }
  return mounts;
}

/** The process's own cgroup: the v2 path and the v1 path of each controller. */
export function parseSelfCgroup(text: string): { v2: string | undefined; v1: Map<string, string> } {
  let v2: string | undefined;
  const v1 = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    if (id === "0" && controllers === "") v2 = path;
    else for (const c of controllers.split(",")) v1.set(c, path);
  }
  return { v2, v1 };
}

/** `path` as seen below a mount whose root is `root` (a cgroup namespace or a bind mount). */
function relativeTo(path: string, root: string): string {
  if (root === "/") return path;
  if (path === root || path.startsWith(`${root}/`)) return path.slice(root.length) || "/";
  throw new Error(`own cgroup ${path} is outside the mounted tree ${root}`);
}

const read = (file: string): string => readFileSync(file, "utf8");
/** The words of a list file (cgroup.controllers, cgroup.subtree_control); none if it is missing. */
function words(file: string): string[] {
  try {
    return read(file).trim().split(/\s+/).filter(Boolean);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Write a control file that must exist. */
const write = (file: string, value: string | number): void => writeFileSync(file, String(value));

/** Write a control file the kernel may not offer (no swap accounting, older kernels). */
function writeIfPresent(file: string, value: string | number): void {
  try {
    writeFileSync(file, String(value), { flag: "r+" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** A `key value` line of a flat-keyed control file (memory.events, memory.oom_control). */
function counter(file: string, key: string): number | undefined {
  try {
    const line = read(file)
      .split("\n")
      .find((l) => l.startsWith(`${key} `));
    return line === undefined ? undefined : Number(line.slice(key.length + 1));
  } catch {
    return undefined;
  }
}

function numberIn(file: string): number | undefined {
  try {
    const n = Number(read(file).trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function mkdirExisting(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
}

/**
 * One attempt at removing a group: SIGKILL every process still in it (v2: cgroup.kill, which
 * also catches a process forking meanwhile), then rmdir each directory. The kernel refuses the
 * rmdir (EBUSY) while a killed process is still exiting, so callers retry.
 */
function tryRemove(dirs: string[], killFile: string | undefined): boolean {
  let done = true;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    if (killFile) writeIfPresent(join(dir, killFile), 1);
    try {
      for (const pid of read(join(dir, "cgroup.procs")).split("\n").filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      rmdirSync(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") done = false;
    }
  }
  return done;
}

function removeSync(dirs: string[], killFile: string | undefined): boolean {
  for (let i = 0; i < REMOVE_TRIES; i++) {
    if (tryRemove(dirs, killFile)) return true;
    Bun.sleepSync(retryDelay(i));
  }
  return false;
}

async function removeAsync(dirs: string[], killFile: string | undefined): Promise<boolean> {
  for (let i = 0; i < REMOVE_TRIES; i++) {
    if (tryRemove(dirs, killFile)) return true;
    await Bun.sleep(retryDelay(i));
  }
  return false;
}

/** Remove every group a previous process of this instance left in `roots` (same names each). */
function sweep(roots: string[], killFile: string | undefined): void {
  const [first] = roots;
  if (!first) return;
  const names = new Set(
    roots.flatMap((root) =>
      readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name),
    ),
  );
  for (const name of names) {
    if (
      !removeSync(
        roots.map((root) => join(root, name)),
        killFile,
      )
    ) {
      throw new Error(`a stale group ${name} in ${first} could not be removed`);
    }
  }
}

function setupV2(own: string, name: string, pid: number): CgroupHost {
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

function setupV1(memoryRoot: string, pidsRoot: string): CgroupHost {
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

/**
 * The command prefix that puts a process into `cgroup` before it execs the rest: a root shell
 * writes its own pid into each `cgroup.procs`, so everything the sandbox ever forks is inside.
 */
export function joinCgroupArgs(cgroup: RunCgroup): string[] {
  return [
    "/usr/bin/sh",
    "-c",
    'while [ "$1" != -- ]; do echo $$ >"$1" || exit 125; shift; done; shift; exec "$@"',
    "aura-cgroup",
    ...cgroup.procs,
    "--",
  ];
}
