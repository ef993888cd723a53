import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalRunner, type LocalRunner } from "../../src/adapters/sandbox/local.ts";
import { captureLogger, silentLogger } from "../helpers/logs.ts";
import { collect, sandboxSkipReason, testInstance } from "../helpers/sandbox.ts";

const skip = sandboxSkipReason();
if (skip) console.warn(`skipping sandbox instance tests: ${skip}`);

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A private parent for run directories, as the OS tmpdir would be (traversable by the slot uids). */
async function workRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "aura-instance-test-"));
  chmodSync(dir, 0o711);
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function runner(options: Parameters<typeof createLocalRunner>[0]): LocalRunner {
  const r = createLocalRunner(options);
  cleanup.push(() => r.close());
  return r;
}

describe.skipIf(Boolean(skip))("run directories on the host", () => {
  test("boot sweeps this instance's crashed run dirs and never another instance's", async () => {
    const root = await workRoot();
    const mine = testInstance();
    const other = testInstance();
    const crashed = join(root, `aura-${mine.instance}`, "run-crashed");
    mkdirSync(crashed, { recursive: true });
    writeFileSync(join(crashed, ".env"), "API_TOKEN=secret");
    const live = join(root, `aura-${other.instance}`, "run-live");
    mkdirSync(live, { recursive: true });
    writeFileSync(join(live, "main.py"), "print(1)");
    // The runner is only created, as at boot: no run, no probe yet.
    const r = runner({ logger: silentLogger(), workRoot: root, slots: 1, prestart: false, ...mine });
    expect(readdirSync(r.runRoot)).toEqual([]);
    expect(existsSync(join(live, "main.py"))).toBe(true);
    expect(statSync(r.runRoot).mode & 0o7777).toBe(0o711);
  });

  test("a run's work dir is mode 700 and the instance's directory 711, even if it was loosened", async () => {
    const root = await workRoot();
    const mine = testInstance();
    mkdirSync(join(root, `aura-${mine.instance}`), { mode: 0o777 });
    chmodSync(join(root, `aura-${mine.instance}`), 0o777);
    const r = runner({ logger: silentLogger(), workRoot: root, slots: 1, ...mine });
    expect(statSync(r.runRoot).mode & 0o7777).toBe(0o711);
    const run = await collect(
      r.run({
        language: "python",
        code: "import os\nprint(oct(os.stat('/work').st_mode & 0o7777))",
        timeoutMs: 5000,
      }),
    );
    expect(run.stdout).toBe("0o700\n");
  });

  test("an instance directory someone else made first is refused, and so is a parent anyone may rename in", async () => {
    const root = await workRoot();
    const taken = testInstance();
    mkdirSync(join(root, `aura-${taken.instance}`));
    chownSync(join(root, `aura-${taken.instance}`), 12345, 12345);
    const refused = runner({ logger: silentLogger(), workRoot: root, slots: 1, ...taken });
    expect(refused.status()).toMatchObject({ available: false });
    expect(refused.status().reason).toContain("belongs to uid 12345");

    const open = await workRoot();
    chmodSync(open, 0o777);
    const loose = runner({ logger: silentLogger(), workRoot: open, slots: 1, ...testInstance() });
    expect(loose.status().reason).toContain("writable by everyone without the sticky bit");
  });

  test("after a kill -9 of the server, the next boot removes its idle sandboxes' dirs and cgroups", async () => {
    const root = await workRoot();
    const mine = testInstance();
    const script = join(root, "server.ts");
    writeFileSync(
      script,
      `import { createLocalRunner } from ${JSON.stringify(join(import.meta.dir, "../../src/adapters/sandbox/local.ts"))};
import { silentLogger } from ${JSON.stringify(join(import.meta.dir, "../helpers/logs.ts"))};
const r = createLocalRunner({ logger: silentLogger(), workRoot: ${JSON.stringify(root)}, slots: 2, instance: "${mine.instance}", uidBase: ${mine.uidBase} });
r.status();
while ((await r.idleWorkDirs()).length < 2) await Bun.sleep(20);
console.log(JSON.stringify(r.cgroupRoots()));
setInterval(() => {}, 1000);`,
    );
    const server = Bun.spawn([process.execPath, script], { stdout: "pipe", stderr: "inherit" });
    const reader = server.stdout.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    const cgroupRoots = JSON.parse(first) as string[];
    server.kill("SIGKILL");
    await server.exited;
    const runRoot = join(root, `aura-${mine.instance}`);
    expect(readdirSync(runRoot).filter((name) => name.startsWith("run-"))).toHaveLength(2);
    const groups = () =>
      cgroupRoots.flatMap((dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []));
    const leftover = groups().filter((e) => e.isDirectory());
    if (cgroupRoots.length > 0) expect(leftover.length).toBeGreaterThan(0);

    const logs = captureLogger("info");
    const next = runner({ logger: logs.logger, workRoot: root, slots: 2, prestart: false, ...mine });
    expect(readdirSync(runRoot)).toEqual([]);
    expect(next.status().available).toBe(true);
    expect(groups().filter((e) => e.isDirectory())).toEqual([]);
  }, 30_000);
});
