import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseMountinfo, parseSelfCgroup, setupCgroups } from "../../src/adapters/sandbox/cgroup.ts";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A host like this one: v1 controllers, plus a v2 mount that holds no controller.
const HYBRID_MOUNTS = `30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const HYBRID_SELF = `8:pids:/
4:memory:/system.slice/aura.service
1:cpu,cpuacct:/
0::/system.slice/aura.service`;

describe("finding the server's cgroups", () => {
  test("mountinfo and /proc/self/cgroup are read for both versions", () => {
    const mounts = parseMountinfo(HYBRID_MOUNTS);
    expect(mounts.map((m) => [m.fstype, m.mountPoint])).toEqual([
      ["cgroup", "/sys/fs/cgroup/cpu,cpuacct"],
      ["cgroup", "/sys/fs/cgroup/memory"],
      ["cgroup", "/sys/fs/cgroup/pids"],
      ["cgroup2", "/sys/fs/cgroup/unified"],
    ]);
    expect(mounts[0]?.options).toContain("cpuacct");
    const own = parseSelfCgroup(HYBRID_SELF);
    expect(own.v2).toBe("/system.slice/aura.service");
    expect(own.v1.get("memory")).toBe("/system.slice/aura.service");
    expect(own.v1.get("pids")).toBe("/");
    expect(own.v1.get("cpuacct")).toBe("/");
  });

  test("with no cgroup mounted there is a reason instead of a host", () => {
    const result = setupCgroups("abc", { mountinfo: "", selfCgroup: "", pid: process.pid });
    expect("reason" in result && result.reason).toContain("no cgroup");
  });

  test("cgroup v2: controllers are enabled below the server's group and each run gets memory.max and pids.max", () => {
    // A stand-in tree: the kernel's files are plain files here, so only what Aura writes is
    // checked (files the kernel may lack, memory.swap.max and memory.oom.group, are skipped).
    const mount = mkdtempSync(join(tmpdir(), "aura-cgroup2-"));
    scratch.push(mount);
    const own = join(mount, "system.slice", "aura.service");
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, "cgroup.controllers"), "cpu io memory pids\n");
    writeFileSync(join(own, "cgroup.subtree_control"), "\n");
    const result = setupCgroups("abc", {
      mountinfo: `40 30 0:37 / ${mount} rw,relatime - cgroup2 cgroup2 rw,nsdelegate`,
      selfCgroup: "0::/system.slice/aura.service",
      pid: process.pid,
    });
    if (!("host" in result)) throw new Error(result.reason);
    const { host } = result;
    expect(host.version).toBe(2);
    expect(host.roots).toEqual([join(own, "aura-abc")]);
    expect(readFileSync(join(own, "cgroup.subtree_control"), "utf8")).toBe("+memory +pids");
    expect(readFileSync(join(own, "aura-abc", "cgroup.subtree_control"), "utf8")).toBe("+memory +pids");
    const dir = join(own, "aura-abc", "slot0-1");
    const group = host.create("slot0-1", { memoryBytes: 256 * 1024 * 1024, processes: 32 });
    expect(group.dirs).toEqual([dir]);
    expect(group.procs).toEqual([join(dir, "cgroup.procs")]);
    expect(readFileSync(join(dir, "memory.max"), "utf8")).toBe(String(256 * 1024 * 1024));
    expect(readFileSync(join(dir, "pids.max"), "utf8")).toBe("32");
    expect(group.oomKilled()).toBe(false);
    writeFileSync(join(dir, "memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
    expect(group.oomKilled()).toBe(true);
    writeFileSync(join(dir, "memory.peak"), "268435456\n");
    expect(group.peakBytes()).toBe(268435456);
  });
});
