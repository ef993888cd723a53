import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { tmpdir } from "node:os";
import { createLocalRunner } from "../../src/adapters/sandbox/local.ts";
import {
  createEmptyWorkDir,
  fillWorkDir,
  removeWorkDir,
  safeRelativePath,
} from "../../src/adapters/sandbox/workdir.ts";
import { ConflictError } from "../../src/errors.ts";
import { silentLogger } from "../helpers/logs.ts";
import { sandboxFixture, sandboxSkipReason, testInstance } from "../helpers/sandbox.ts";

const skip = sandboxSkipReason();
if (skip) console.warn(`skipping local sandbox tests: ${skip}`);

describe("path validation", () => {
  test("relative paths are accepted and anything escaping the work dir is rejected", () => {
    expect(safeRelativePath("src/app.py", "f")).toEqual(["src", "app.py"]);
    for (const bad of [
      "../x",
      "/etc/passwd",
      "a/../../b",
      "a//b",
      "./a",
      "",
      "a\0b",
      "C:\\x",
      "\\\\srv\\x",
    ]) {
      expect(() => safeRelativePath(bad, "f")).toThrow();
    }
  });

  test("files that cannot be laid out fail in the run's own terms, never naming the host's work dir", async () => {
    const dir = await createEmptyWorkDir(tmpdir(), process.getuid?.() ?? 0);
    try {
      const request = {
        language: "python" as const,
        code: "print(1)",
        timeoutMs: 2000,
        files: { conf: "x", "conf/b.txt": "y" },
      };
      const error = await fillWorkDir(dir, request, process.getuid?.() ?? 0).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toBe("conf/b.txt: a file and a folder of the run share a path");
      expect((error as Error).message).not.toContain(dir);
    } finally {
      await removeWorkDir(dir);
    }
  });

  test("a runner without bubblewrap reports itself unavailable and refuses to run", async () => {
    const runner = createLocalRunner({
      logger: silentLogger(),
      bwrapPath: "/nonexistent/bwrap",
      ...testInstance(),
    });
    expect(runner.status()).toMatchObject({ available: false });
    expect(runner.status().reason).toContain("bwrap");
    const attempt = async () => {
      for await (const _ of runner.run({ language: "python", code: "print(1)", timeoutMs: 2000 })) {
        // never reached
      }
    };
    await expect(attempt()).rejects.toThrow(/unavailable/);
  });
});

test("a runner's uids stay inside its block of 1024: the probe uid, one per slot, then one per terminal", () => {
  const ids = testInstance();
  const runner = createLocalRunner({
    logger: silentLogger(),
    bwrapPath: "/nonexistent/bwrap",
    slots: 5000,
    ...ids,
  });
  // Terminals (8 by default) have uids of their own at the end of the block.
  expect(runner.slots).toBe(1015);
  expect(runner.uids[0]).toBe(ids.uidBase + 1);
  expect(runner.uids.at(-1)).toBe(ids.uidBase + 1015);
  const withoutTerminals = createLocalRunner({
    logger: silentLogger(),
    bwrapPath: "/nonexistent/bwrap",
    slots: 5000,
    terminals: 0,
    ...ids,
  });
  expect(withoutTerminals.slots).toBe(1023);
  expect(withoutTerminals.uids.at(-1)).toBe(ids.uidBase + 1023);
});

describe.skipIf(Boolean(skip))("local sandbox runner", () => {
  let fx: Awaited<ReturnType<typeof sandboxFixture>>;
  beforeAll(async () => {
    fx = await sandboxFixture();
  });
  afterAll(async () => {
    await fx.dispose();
  });

  test("the runner probes bubblewrap and offers all three languages", () => {
    expect(fx.runner.status()).toEqual({
      available: true,
      languages: ["javascript", "typescript", "python"],
      isolation: expect.stringMatching(/^(cgroup|rlimit)$/),
      seccomp: expect.any(Boolean),
    });
  });

  test("print(1) in Python prints 1 and exits 0 with a timing", async () => {
    const r = await fx.run({ language: "python", code: "print(1)" });
    expect(r.stdout).toBe("1\n");
    expect(r.exit).toMatchObject({ exitCode: 0, truncated: false });
    expect(r.exit.error).toBeUndefined();
    expect(r.exit.executionTime).toBeGreaterThan(0);
  });

  test("console.log works in JavaScript and in TypeScript", async () => {
    const js = await fx.run({ language: "javascript", code: "console.log('js', 1 + 1)" });
    expect(js.stdout).toBe("js 2\n");
    const ts = await fx.run({ language: "typescript", code: 'const n: number = 3; console.log("ts", n)' });
    expect(ts.stdout).toBe("ts 3\n");
    expect(ts.exit.exitCode).toBe(0);
  });

  test("stdout and stderr arrive as distinct streams", async () => {
    const r = await fx.run({
      language: "python",
      code: "import sys\nprint('out')\nprint('err', file=sys.stderr)",
    });
    expect(r.stdout).toBe("out\n");
    expect(r.stderr).toBe("err\n");
  });

  test("a non-zero exit code is reported without an error", async () => {
    const r = await fx.run({ language: "javascript", code: "console.log('bye'); process.exit(3)" });
    expect(r.exit.exitCode).toBe(3);
    expect(r.exit.error).toBeUndefined();
    const py = await fx.run({ language: "python", code: "raise SystemExit(7)" });
    expect(py.exit.exitCode).toBe(7);
  });

  test("project files sit in the work dir and the entry runs with them", async () => {
    const r = await fx.run({
      language: "python",
      entry: "app/main.py",
      code: "import helper, os\nprint(helper.greet(), sorted(os.listdir('/work')), open('/work/data.txt').read())",
      files: { "app/helper.py": "def greet():\n    return 'hi'\n", "data.txt": "payload" },
    });
    expect(r.stdout).toBe("hi ['app', 'data.txt'] payload\n");
    const ts = await fx.run({
      language: "typescript",
      entry: "src/index.ts",
      code: "import { twice } from './lib.ts';\nconsole.log(twice(21));",
      files: { "src/lib.ts": "export const twice = (n: number): number => n * 2;" },
    });
    expect(ts.stdout).toBe("42\n");
  });

  test("a path that escapes the work dir is rejected before anything runs", async () => {
    await expect(
      fx.run({ language: "python", code: "print(1)", files: { "../evil": "x" } }),
    ).rejects.toThrow();
    await expect(fx.run({ language: "python", code: "print(1)", entry: "/etc/x.py" })).rejects.toThrow();
    // A newline would end the launcher's entry line early: control characters never name a file.
    await expect(
      fx.run({ language: "python", code: "print(1)", entry: "ok.py\njavascript" }),
    ).rejects.toThrow("entry: invalid path");
    expect(await fx.leftoverDirs()).toEqual([]);
  });

  test("a run uses a sandbox started ahead of it, and a fresh one waits for the next run", async () => {
    await fx.run({ language: "python", code: "print(1)" });
    const idle = await fx.runner.idleWorkDirs();
    expect(idle.length).toBeGreaterThan(0);
    const r = await fx.run({ language: "python", code: "import os\nprint(sorted(os.listdir('/work')))" });
    expect(r.stdout).toBe("['main.py']\n");
    // The sandbox that ran is gone with its work dir; its slot has a new, different one.
    const after = await fx.runner.idleWorkDirs();
    expect(after).toHaveLength(idle.length);
    expect(after.filter((dir) => idle.includes(dir))).toHaveLength(idle.length - 1);
    expect(await fx.leftoverDirs()).toEqual([]);
  });

  test("multi-byte characters split across chunks decode intact", async () => {
    const r = await fx.run({
      language: "python",
      code: "import sys\nb='héllo ✓ 😀'.encode()\nfor i in range(len(b)):\n    sys.stdout.buffer.write(b[i:i+1]); sys.stdout.flush()",
    });
    expect(r.stdout).toBe("héllo ✓ 😀");
  });

  test("output streams while the program is still running", async () => {
    let firstAt = 0;
    let exitAt = 0;
    for await (const e of fx.runner.run({
      language: "python",
      code: "import time\nprint('a')\ntime.sleep(1)\nprint('b')",
      timeoutMs: 5000,
    })) {
      if (e.type === "stdout" && !firstAt) firstAt = performance.now();
      if (e.type === "exit") exitAt = performance.now();
    }
    // Streamed, "a" arrives a second before the end; held until exit, with it. (A lower
    // bound: a loaded machine only widens the gap.)
    expect(exitAt - firstAt).toBeGreaterThan(800);
  });

  test("work dirs are removed after every run and no process outlives it", async () => {
    await fx.run({ language: "python", code: "open('/work/left.txt','w').write('x')" });
    expect(await fx.leftoverDirs()).toEqual([]);
    expect(await fx.leftoverProcesses()).toBe("");
  });
});
