import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { captureLogger, type LogLine } from "../helpers/logs.ts";
import { type Collected, sandboxFixture, sandboxSkipReason } from "../helpers/sandbox.ts";

const MIB = 1024 * 1024;
const skip = sandboxSkipReason();
if (skip) console.warn(`skipping sandbox cgroup tests: ${skip}`);

/** A field of /proc/meminfo in bytes. */
function meminfo(field: string): number {
  const line = readFileSync("/proc/meminfo", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

/** Resident memory of every process running as one of `uids` (a run's processes), in bytes. */
function rssOf(uids: Set<number>): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      if (uids.has(uid)) total += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/**
 * Run `code` while sampling, every 25 ms, how much the host's tmpfs use (Shmem) and the run's
 * resident memory rose above where they were before it; returns the highest rises seen.
 */
async function measured(
  fx: Awaited<ReturnType<typeof sandboxFixture>>,
  code: string,
): Promise<{ run: Collected; shmemRise: number; rssPeak: number }> {
  const uids = new Set(fx.runner.uids);
  const shmemBefore = meminfo("Shmem");
  let shmemRise = 0;
  let rssPeak = 0;
  const sample = () => {
    shmemRise = Math.max(shmemRise, meminfo("Shmem") - shmemBefore);
    rssPeak = Math.max(rssPeak, rssOf(uids));
  };
  const timer = setInterval(sample, 25);
  try {
    const run = await fx.run({ language: "python", code, timeoutMs: 20_000 });
    return { run, shmemRise, rssPeak };
  } finally {
    clearInterval(timer);
  }
}

/** The cgroup's peak memory of the last finished run, from the runner's debug log. */
function lastPeak(lines: LogLine[]): number | undefined {
  const finished = lines.filter((l) => l.msg === "sandbox run finished");
  return finished.at(-1)?.memoryPeakBytes as number | undefined;
}

// Python: three children, each allocating and touching 450 MB. Under a 512 MiB address-space
// rlimit per process each one fits, so without a cgroup the run held ≈1.4 GB of the host.
const FORK_THREE = `import os, time
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = b"\\x01" * (450 * 1024 * 1024)
        time.sleep(3)
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)
print("all children done")`;

// 80 files of 10 MiB (the file-size limit) in /tmp: 800 MiB of host RAM without a tmpfs size.
const FILL_TMP = `for i in range(80):
    with open(f"/tmp/f{i}", "wb") as f:
        f.write(b"\\x01" * (10 * 1024 * 1024))
print("wrote 800 MiB")`;

describe.skipIf(Boolean(skip))("memory is bounded per run, not per process", () => {
  const logs = captureLogger("debug");
  let fx: Awaited<ReturnType<typeof sandboxFixture>>;
  let limit = 0;
  beforeAll(async () => {
    fx = await sandboxFixture(1, { logger: logs.logger });
    limit = fx.runner.limits.memoryBytes;
  });
  afterAll(async () => {
    await fx.dispose();
  });

  test("each run is in a cgroup of its own (this host has cgroups)", () => {
    expect(fx.runner.status()).toMatchObject({ available: true, isolation: "cgroup" });
    expect(logs.lines.some((l) => l.level === "warn")).toBe(false);
  });

  test("three forked children of 450 MB each end the run as memory, within the run's limit", async () => {
    const { run, rssPeak } = await measured(fx, FORK_THREE);
    expect(run.exit.error).toBe("memory");
    expect(run.stdout).not.toContain("all children done");
    expect(rssPeak).toBeLessThan(limit + 64 * MIB);
    const peak = lastPeak(logs.lines);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(limit);
    expect(await fx.leftoverProcesses()).toBe("");
    expect(await fx.leftoverCgroups()).toEqual([]);
  }, 30_000);

  test("filling /tmp stops at its 64 MiB size: no space left, and the host's tmpfs use barely moves", async () => {
    const { run, shmemRise } = await measured(fx, FILL_TMP);
    // A full /tmp is a full disk to the program: it fails on its own (ENOSPC), not by a kill.
    expect(run.stdout).not.toContain("wrote 800 MiB");
    expect(run.stderr).toContain("No space left on device");
    expect(run.exit.exitCode).toBe(1);
    expect(shmemRise).toBeLessThan(limit + 64 * MIB);
    expect(lastPeak(logs.lines)).toBeLessThanOrEqual(limit);
    expect(await fx.leftoverCgroups()).toEqual([]);
  }, 30_000);

  test("a normal run still works and its cgroup is gone afterwards", async () => {
    const r = await fx.run({ language: "python", code: "print(sum(range(10)))" });
    expect(r.stdout).toBe("45\n");
    expect(r.exit).toMatchObject({ exitCode: 0, truncated: false });
    expect(r.exit.error).toBeUndefined();
    expect(await fx.leftoverCgroups()).toEqual([]);
    // The slot's next sandbox already waits inside a group of its own.
    expect((await fx.runner.idleCgroupDirs()).length).toBeGreaterThan(0);
  });
});

describe.skipIf(Boolean(skip))("a /tmp larger than the run's memory", () => {
  const logs = captureLogger("debug");
  let fx: Awaited<ReturnType<typeof sandboxFixture>>;
  const limit = 256 * MIB;
  beforeAll(async () => {
    fx = await sandboxFixture(1, {
      logger: logs.logger,
      tmpBytes: 1024 * MIB,
      limits: { memoryBytes: limit },
    });
  });
  afterAll(async () => {
    await fx.dispose();
  });

  test("the tmpfs filler ends as memory: its files count inside the run's memory", async () => {
    const { run, shmemRise } = await measured(fx, FILL_TMP);
    expect(run.exit.error).toBe("memory");
    expect(run.stdout).not.toContain("wrote 800 MiB");
    expect(shmemRise).toBeLessThan(limit + 64 * MIB);
    expect(lastPeak(logs.lines)).toBeLessThanOrEqual(limit);
    expect(await fx.leftoverCgroups()).toEqual([]);
  }, 30_000);
});
