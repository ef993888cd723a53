import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CgroupHost, type RunCgroup, setupV1, setupV2 } from "./cgroup-versions.ts";

/** Where the kernel's cgroup files are; tests point these at a tree of their own. */
export interface CgroupSources {
  mountinfo: string;
  selfCgroup: string;
  pid: number;
}

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
