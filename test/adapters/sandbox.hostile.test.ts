import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { allOutput, sandboxFixture, sandboxSkipReason } from "../helpers/sandbox.ts";

const skip = sandboxSkipReason();
if (skip) console.warn(`skipping hostile sandbox tests: ${skip}`);

// Set before any runner exists: it must never reach a sandboxed program.
const CANARY = `canary-${crypto.randomUUID()}`;
process.env.AURA_CANARY_SECRET = CANARY;

describe.skipIf(Boolean(skip))("hostile programs in the local sandbox", () => {
  let fx: Awaited<ReturnType<typeof sandboxFixture>>;
  beforeAll(async () => {
    fx = await sandboxFixture();
  });
  afterAll(async () => {
    expect(allOutput.join("\n")).not.toContain(CANARY);
    expect(await fx.leftoverDirs()).toEqual([]);
    await fx.dispose();
  });

  const hostStillSpawns = (): void => {
    expect(Bun.spawnSync(["/usr/bin/true"]).exitCode).toBe(0);
  };

  test("a Python fork bomb stops at the process limit and the host can still spawn", async () => {
    const r = await fx.run({
      language: "python",
      code: "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass",
      timeoutMs: 2000,
    });
    expect(r.exit.error).toBe("timeout");
    hostStillSpawns();
    expect(await fx.leftoverProcesses()).toBe("");
    // Tearing down 60 forking processes takes seconds when other test suites share the 2 cores.
  }, 15_000);

  test("a JavaScript spawn loop hits the process limit without hurting the host", async () => {
    const r = await fx.run({
      language: "javascript",
      code: `let n = 0;
for (;;) { try { Bun.spawn([process.execPath, "-e", "setInterval(() => {}, 1000)"]); n++; } catch { break; } }
console.log("spawned", n);`,
      // Each Bun it starts takes ~0.1 s on a busy 2-core machine: give the loop time to hit the limit.
      timeoutMs: 10_000,
    });
    expect(r.stdout).toMatch(/spawned \d+/);
    expect(Number(r.stdout.split(" ")[1])).toBeLessThan(64);
    hostStillSpawns();
    expect(await fx.leftoverProcesses()).toBe("");
  }, 20_000);

  test("memory bombs end with error memory in Python and in JavaScript", async () => {
    // A cgroup counts memory only once it is touched: faulting in 512 MiB takes seconds on a busy VM.
    const py = await fx.run({
      language: "python",
      code: "a = []\nwhile True:\n    a.append(bytearray(10**7))",
      timeoutMs: 30_000,
    });
    expect(py.exit.error).toBe("memory");
    const js = await fx.run({
      language: "javascript",
      code: "const a = []; for (;;) a.push(new Array(1e6).fill(1.5));",
      timeoutMs: 30_000,
    });
    expect(js.exit.error).toBe("memory");
    // Filling the memory takes seconds on a slow, busy machine: behaviour, not speed, is tested.
  }, 70_000);

  // How soon a run is stopped is the sandbox benchmark's figure; a run that was never stopped
  // would outlive the test's own limit, and one stopped early would end before its timeout.
  test("an infinite loop with a 2 s timeout is stopped at its timeout", async () => {
    const r = await fx.run({ language: "javascript", code: "for (;;) {}", timeoutMs: 2000 });
    expect(r.exit).toMatchObject({ error: "timeout", exitCode: null });
    expect(r.elapsed).toBeGreaterThanOrEqual(1900);
    expect(await fx.leftoverProcesses()).toBe("");
  });

  test("sleeping for 60 s with a 1 s timeout ends as a timeout", async () => {
    const r = await fx.run({ language: "python", code: "import time\ntime.sleep(60)", timeoutMs: 1000 });
    expect(r.exit.error).toBe("timeout");
  });

  test("50 MB of output is truncated at the output limit", async () => {
    const limit = fx.runner.limits.outputBytes;
    const py = await fx.run({
      language: "python",
      code: "import sys\nfor _ in range(50):\n    sys.stdout.write('x' * 1000000)",
    });
    expect(py.exit.truncated).toBe(true);
    expect(py.stdout.length).toBeLessThanOrEqual(limit);
    expect(py.stdout.length).toBeGreaterThan(limit / 2);
    const js = await fx.run({
      language: "javascript",
      code: "const s = 'é'.repeat(500000); for (let i = 0; i < 50; i++) process.stdout.write(s);",
    });
    expect(js.exit.truncated).toBe(true);
    expect(Buffer.byteLength(js.stdout)).toBeLessThanOrEqual(limit + 4);
  });

  test("the network is unreachable: neither the host's loopback nor the outside", async () => {
    const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("host reached") });
    try {
      const py = await fx.run({
        language: "python",
        code: `import socket
for addr in [("127.0.0.1", ${server.port}), ("1.1.1.1", 80)]:
    try:
        socket.create_connection(addr, timeout=3).close()
        print("connected", addr)
    except OSError as e:
        print("failed", addr[0], type(e).__name__)`,
      });
      expect(py.stdout).not.toContain("connected");
      expect(py.stdout.match(/failed/g)?.length).toBe(2);
      // Refused or unreachable at once, not a connection left to time out.
      expect(py.stdout).not.toContain("TimeoutError");
      const js = await fx.run({
        language: "javascript",
        code: `for (const url of ["http://127.0.0.1:${server.port}/", "http://1.1.1.1/"]) {
  try { console.log("reached", await (await fetch(url)).text()); } catch (e) { console.log("failed", url); }
}`,
      });
      expect(js.stdout).not.toContain("reached");
      expect(js.stdout.match(/failed/g)?.length).toBe(2);
    } finally {
      server.stop(true);
    }
  });

  test("secrets stay out: /etc/shadow, /proc/*/environ and the environment show no canary", async () => {
    const py = await fx.run({
      language: "python",
      code: `import os, glob
print(dict(os.environ))
for p in ["/etc/shadow", "/proc/1/environ", *glob.glob("/proc/*/environ")]:
    try:
        print(p, open(p, "rb").read())
    except OSError as e:
        print(p, "denied", type(e).__name__)`,
    });
    expect(py.stdout).toContain("/etc/shadow denied");
    expect(py.stdout).toContain("/proc/1/environ");
    const js = await fx.run({
      language: "javascript",
      code: `console.log(JSON.stringify(Bun.env), JSON.stringify(process.env));
console.log(Bun.spawnSync(["sh", "-c", "env; cat /proc/*/environ; cat /etc/shadow"]).stdout.toString());`,
    });
    expect(js.stdout).toContain('"HOME":"/work"');
    for (const out of [py.stdout, py.stderr, js.stdout, js.stderr]) expect(out).not.toContain(CANARY);
  });

  test("writing to /usr and / fails while /work and /tmp are writable", async () => {
    const r = await fx.run({
      language: "python",
      code: `for p in ["/usr/evil", "/usr/bin/evil", "/evil", "/work/ok", "/tmp/ok"]:
    try:
        open(p, "w").write("x"); print(p, "written")
    except OSError as e:
        print(p, "refused")`,
    });
    expect(r.stdout).toBe(
      "/usr/evil refused\n/usr/bin/evil refused\n/evil refused\n/work/ok written\n/tmp/ok written\n",
    );
  });

  test("no user namespace can be made inside a run: unshare -Ur fails instead of giving uid 0", async () => {
    const r = await fx.run({
      language: "python",
      code: `import subprocess
r = subprocess.run(["unshare", "-Ur", "id", "-u"], capture_output=True, text=True)
print(r.returncode, repr(r.stdout.strip()))`,
    });
    expect(r.stdout).not.toContain("'0'");
    expect(r.stdout).toMatch(/^[1-9]\d* ''\n$/);
  });

  test.skipIf(process.arch !== "x64")(
    "system calls no script needs are refused by the seccomp filter (x86-64 numbers)",
    async () => {
      expect(fx.runner.status().seccomp).toBe(true);
      const r = await fx.run({
        language: "python",
        code: `import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
for name, nr in [("io_uring_setup", 425), ("userfaultfd", 323), ("keyctl", 250), ("bpf", 321), ("perf_event_open", 298), ("getppid", 110)]:
    ctypes.set_errno(0)
    result = libc.syscall(nr, 0, 0, 0, 0, 0)
    print(name, "refused" if result == -1 and ctypes.get_errno() == 1 else "reached the kernel")`,
      });
      expect(r.stdout).toBe(
        "io_uring_setup refused\nuserfaultfd refused\nkeyctl refused\nbpf refused\nperf_event_open refused\ngetppid reached the kernel\n",
      );
    },
  );

  test("/dev is read-only and its /dev/shm is a tmpfs as small as /tmp", async () => {
    const r = await fx.run({
      language: "python",
      code: `import os
for p in ["/dev/evil", "/dev/shm/ok"]:
    try:
        open(p, "w").write("x"); print(p, "written")
    except OSError:
        print(p, "refused")
for p in ["/tmp", "/dev/shm"]:
    s = os.statvfs(p)
    print(p, s.f_blocks * s.f_frsize)`,
    });
    const size = 64 * 1024 * 1024;
    expect(r.stdout).toBe(`/dev/evil refused\n/dev/shm/ok written\n/tmp ${size}\n/dev/shm ${size}\n`);
  });

  test("killing its parent does not hurt the server and the runner keeps working", async () => {
    const py = await fx.run({
      language: "python",
      code: "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\nprint('alive')",
    });
    expect(py.stdout).toContain("alive");
    const sh = await fx.run({
      language: "javascript",
      code: `Bun.spawnSync(["sh", "-c", "kill -9 $PPID; kill -9 -1"]); console.log("done");`,
    });
    expect(sh.exit.error).toBeUndefined();
    const after = await fx.run({ language: "python", code: "print('still fine')" });
    expect(after.stdout).toBe("still fine\n");
    hostStillSpawns();
  });

  test("a run cannot see another run's files", async () => {
    const first = await fx.run({
      language: "python",
      code: "open('/work/secret.txt','w').write('s3cret')\nopen('/tmp/secret.txt','w').write('s3cret')\nimport os\nprint(os.getcwd(), os.getuid())",
    });
    expect(first.stdout).toContain("/work");
    const second = await fx.run({
      language: "python",
      code: `import os, glob
print(sorted(os.listdir("/work")), os.path.exists("/tmp/secret.txt"), glob.glob("/*/secret.txt") + glob.glob("/tmp/*/secret.txt"))
print(glob.glob("${fx.workRoot}/*"))`,
    });
    expect(second.stdout).toBe("['main.py'] False []\n[]\n");
    expect(await fx.leftoverDirs()).toEqual([]);
  });

  test("cancelling through the AbortSignal stops the run and leaves no process", async () => {
    const controller = new AbortController();
    let cancelled = false;
    const events = fx.runner.run({
      language: "python",
      code: "import time\nwhile True:\n    print('tick')\n    time.sleep(0.05)",
      timeoutMs: 20_000,
      signal: controller.signal,
    });
    let exit: unknown;
    for await (const e of events) {
      if (e.type === "stdout" && !cancelled) {
        cancelled = true;
        controller.abort();
      }
      if (e.type === "exit") exit = e;
    }
    // Not stopped, it would run into its 20 s timeout and end as "timeout".
    expect(exit).toMatchObject({ error: "cancelled", exitCode: null });
    expect(await fx.leftoverProcesses()).toBe("");
  });

  test("a consumer that stops reading early still kills the run", async () => {
    for await (const e of fx.runner.run({
      language: "python",
      code: "while True: print('x')",
      timeoutMs: 20_000,
    })) {
      if (e.type === "stdout") break;
    }
    expect(await fx.leftoverProcesses()).toBe("");
    expect(await fx.leftoverDirs()).toEqual([]);
  });
});
