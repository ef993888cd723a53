import { describe, expect, test } from "bun:test";
import {
  createE2BRunner,
  type E2BCommandHandle,
  type E2BCommandOptions,
  type E2BSandboxLike,
  type E2BSdk,
  RUNS_ROOT,
} from "../../src/adapters/sandbox/e2b.ts";
import type { RunEvent, RunRequest } from "../../src/adapters/sandbox/types.ts";
import { UnavailableError, UpstreamError } from "../../src/errors.ts";
import { silentLogger } from "../helpers/logs.ts";

// ---- A scripted stand-in for `@e2b/code-interpreter`, replaced at the module boundary ----

/** Like the SDK's CommandExitError: thrown by `wait()` on a non-zero exit. */
class CommandExitError extends Error {
  override name = "CommandExitError";
  constructor(readonly exitCode: number) {
    super(`exit status ${exitCode}`);
  }
}

/** Like the SDK's SandboxNotFoundError: what a dead sandbox answers. */
class SandboxNotFoundError extends Error {
  override name = "SandboxNotFoundError";
}

interface ScriptContext {
  out(data: string): void;
  err(data: string): void;
  sleep(ms: number): Promise<void>;
  /** Never resolves: a program that hangs until killed. */
  hang(): Promise<never>;
  cmd: string;
  opts: E2BCommandOptions;
  sandbox: FakeSandbox;
}
/** A program: returns its exit code, or throws (a broken connection). */
type Script = (ctx: ScriptContext) => Promise<number> | number;

class FakeSandbox implements E2BSandboxLike {
  readonly files: E2BSandboxLike["files"];
  readonly commands: E2BSandboxLike["commands"];
  written = new Map<string, string | Blob>();
  removed: string[] = [];
  runs: { cmd: string; opts: E2BCommandOptions; killed: boolean }[] = [];
  timeouts: number[] = [];
  killed = false;
  private deathListeners: ((error: Error) => void)[] = [];
  dead: Error | undefined;

  constructor(
    readonly sandboxId: string,
    script: () => Script,
  ) {
    this.files = {
      write: async (path, data) => {
        this.check();
        this.written.set(path, data);
        return { path };
      },
      remove: async (path) => {
        this.check();
        this.removed.push(path);
      },
    };
    this.commands = {
      run: async (cmd, opts) => {
        this.check();
        return this.start(script(), cmd, opts);
      },
    };
  }

  private check(): void {
    if (this.dead) throw this.dead;
    if (this.killed) throw new SandboxNotFoundError("sandbox was killed");
  }

  /** The sandbox dies: running commands fail, later calls fail. */
  die(): void {
    this.dead = new SandboxNotFoundError(`sandbox ${this.sandboxId} not found`);
    for (const listener of this.deathListeners) listener(this.dead);
  }

  private start(script: Script, cmd: string, opts: E2BCommandOptions): E2BCommandHandle {
    const record = { cmd, opts, killed: false };
    this.runs.push(record);
    let onKill: () => void = () => undefined;
    const killed = new Promise<"killed">((resolve) => {
      onKill = () => resolve("killed");
    });
    const died = new Promise<never>((_, reject) => this.deathListeners.push(reject));
    died.catch(() => undefined);
    const ctx: ScriptContext = {
      out: (data) => {
        if (!record.killed) opts.onStdout?.(data);
      },
      err: (data) => {
        if (!record.killed) opts.onStderr?.(data);
      },
      sleep: (ms) => Bun.sleep(ms),
      hang: () => new Promise<never>(() => undefined),
      cmd,
      opts,
      sandbox: this,
    };
    const done = (async () => {
      const result = await Promise.race([Promise.resolve().then(() => script(ctx)), killed, died]);
      if (result === "killed") throw new CommandExitError(137);
      if (result !== 0) throw new CommandExitError(result);
      return { exitCode: 0 };
    })();
    done.catch(() => undefined);
    return {
      wait: () => done,
      kill: async () => {
        record.killed = true;
        onKill();
        return true;
      },
    };
  }

  async setTimeout(timeoutMs: number): Promise<void> {
    this.check();
    this.timeouts.push(timeoutMs);
  }

  async kill(): Promise<void> {
    this.killed = true;
  }
}

class FakeSdk implements E2BSdk {
  created: FakeSandbox[] = [];
  createOptions: { apiKey: string; timeoutMs: number }[] = [];
  /** Make the next create() calls fail with this. */
  createError: Error | undefined;
  script: Script = () => 0;
  Sandbox = {
    create: async (opts: { apiKey: string; timeoutMs: number }): Promise<E2BSandboxLike> => {
      this.createOptions.push(opts);
      await Bun.sleep(1);
      if (this.createError) throw this.createError;
      const sandbox = new FakeSandbox(`sbx-${this.created.length + 1}`, () => this.script);
      this.created.push(sandbox);
      return sandbox;
    },
  };
}

function setup(options: { idleMs?: number; outputBytes?: number } = {}) {
  const sdk = new FakeSdk();
  const runner = createE2BRunner({
    apiKey: "e2b_test_key",
    logger: silentLogger(),
    sdk,
    idleMs: options.idleMs ?? 60_000,
    limits: options.outputBytes ? { outputBytes: options.outputBytes } : undefined,
  });
  return { sdk, runner };
}

async function collect(events: AsyncIterable<RunEvent>) {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  const exit = all.at(-1);
  if (exit?.type !== "exit") throw new Error("no exit event");
  const text = (type: "stdout" | "stderr") => all.map((e) => (e.type === type ? e.data : "")).join("");
  return { events: all, exit, stdout: text("stdout"), stderr: text("stderr") };
}

const py = (code: string, extra: Partial<RunRequest> = {}): RunRequest => ({
  language: "python",
  code,
  timeoutMs: 5000,
  userId: "u1",
  ...extra,
});

// ---- tests ----

describe("E2B runner (scripted SDK)", () => {
  test("status is available with a key, without any network call; all three languages", () => {
    const { sdk, runner } = setup();
    expect(runner.kind).toBe("e2b");
    expect(runner.status()).toEqual({
      available: true,
      languages: ["python", "javascript", "typescript"],
      isolation: "microvm",
    });
    expect(sdk.createOptions).toHaveLength(0);
    const keyless = createE2BRunner({ apiKey: "", logger: silentLogger(), sdk });
    expect(keyless.status().available).toBe(false);
  });

  test("events stream in order as they arrive, then one exit", async () => {
    const { sdk, runner } = setup();
    sdk.script = async ({ out, err, sleep }) => {
      out("one\n");
      await sleep(5);
      err("two\n");
      await sleep(5);
      out("three\n");
      return 0;
    };
    const seen: string[] = [];
    const started = performance.now();
    const arrival: number[] = [];
    for await (const event of runner.run(py("print(1)"))) {
      seen.push(event.type === "exit" ? `exit:${event.exitCode}` : `${event.type}:${event.data}`);
      arrival.push(performance.now() - started);
    }
    expect(seen).toEqual(["stdout:one\n", "stderr:two\n", "stdout:three\n", "exit:0"]);
    // Streamed: the first chunk came before the program finished.
    expect(arrival[0]).toBeLessThan(arrival[2] ?? 0);
    await runner.close();
  });

  test("files and the program are written to a per-run directory, and the command runs there", async () => {
    const { sdk, runner } = setup();
    const result = await collect(
      runner.run(
        py("print(1)", {
          entry: "src/app.py",
          files: { "lib/util.py": "X = 1", "data.txt": "hi", "img/dot.bin": new Uint8Array([0, 255, 7]) },
        }),
      ),
    );
    expect(result.exit.exitCode).toBe(0);
    const sandbox = sdk.created[0];
    if (!sandbox) throw new Error("no sandbox");
    const run = sandbox.runs[0];
    if (!run) throw new Error("no run");
    const dir = run.opts.cwd ?? "";
    expect(dir.startsWith(`${RUNS_ROOT}/`)).toBe(true);
    const binary = sandbox.written.get(`${dir}/img/dot.bin`);
    // Bytes go as a Blob, which the SDK uploads unchanged.
    expect(binary instanceof Blob ? [...new Uint8Array(await binary.arrayBuffer())] : binary).toEqual([
      0, 255, 7,
    ]);
    sandbox.written.delete(`${dir}/img/dot.bin`);
    expect(Object.fromEntries(sandbox.written)).toEqual({
      [`${dir}/lib/util.py`]: "X = 1",
      [`${dir}/data.txt`]: "hi",
      [`${dir}/src/app.py`]: "print(1)",
    });
    expect(run.cmd).toBe("exec python3 -u 'src/app.py'");
    expect(run.opts.background).toBe(true);
    expect(sandbox.removed).toEqual([dir]);
    await runner.close();
  });

  test("each language maps to its command; TypeScript strips types on node", async () => {
    const { sdk, runner } = setup();
    await collect(runner.run({ language: "javascript", code: "1", timeoutMs: 2000, userId: "u1" }));
    await collect(
      runner.run({ language: "typescript", code: "1", timeoutMs: 2000, userId: "u1", entry: "it's.ts" }),
    );
    const cmds = sdk.created[0]?.runs.map((r) => r.cmd) ?? [];
    expect(cmds[0]).toBe("exec node 'main.js'");
    expect(cmds[1]).toContain("node --experimental-strip-types");
    expect(cmds[1]).toContain(`'it'\\''s.ts'`);
    await runner.close();
  });

  test("unsafe paths are rejected before any sandbox is created", async () => {
    const { sdk, runner } = setup();
    await expect(collect(runner.run(py("1", { entry: "../x.py" })))).rejects.toThrow();
    await expect(collect(runner.run(py("1", { files: { "/etc/x": "" } })))).rejects.toThrow();
    expect(sdk.createOptions).toHaveLength(0);
  });

  test("a non-zero exit (CommandExitError) is the program's exit code, not an error", async () => {
    const { sdk, runner } = setup();
    sdk.script = ({ err }) => {
      err("Traceback: boom\n");
      return 3;
    };
    const result = await collect(runner.run(py("raise SystemExit(3)")));
    expect(result.exit).toMatchObject({ type: "exit", exitCode: 3, truncated: false });
    expect(result.exit.error).toBeUndefined();
    expect(result.stderr).toBe("Traceback: boom\n");
    await runner.close();
  });

  test("an out-of-memory exit is reported as memory", async () => {
    const { sdk, runner } = setup();
    sdk.script = ({ err }) => {
      err("MemoryError\n");
      return 1;
    };
    const result = await collect(runner.run(py("x = ' ' * 10**12")));
    expect(result.exit).toMatchObject({ exitCode: 1, error: "memory" });
    await runner.close();
  });

  test("timeout kills the command and reports timeout", async () => {
    const { sdk, runner } = setup();
    sdk.script = async ({ out, hang }) => {
      out("started\n");
      return hang();
    };
    const started = performance.now();
    const result = await collect(runner.run(py("while True: pass", { timeoutMs: 1000 })));
    const elapsed = performance.now() - started;
    expect(result.exit).toMatchObject({ exitCode: null, error: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(sdk.created[0]?.runs[0]?.killed).toBe(true);
    expect(sdk.created[0]?.runs[0]?.opts.timeoutMs).toBeGreaterThan(1000);
    await runner.close();
  });

  test("cancel kills the command and reports cancelled", async () => {
    const { sdk, runner } = setup();
    sdk.script = ({ hang }) => hang();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await collect(
      runner.run(py("import time; time.sleep(60)", { signal: controller.signal })),
    );
    expect(result.exit).toMatchObject({ exitCode: null, error: "cancelled" });
    expect(sdk.created[0]?.runs[0]?.killed).toBe(true);

    const aborted = AbortSignal.abort();
    const early = await collect(runner.run(py("1", { signal: aborted })));
    expect(early.exit).toMatchObject({ error: "cancelled", executionTime: 0 });
    expect(sdk.created[0]?.runs).toHaveLength(1);
    await runner.close();
  });

  test("a consumer that stops early kills the command", async () => {
    const { sdk, runner } = setup();
    sdk.script = async ({ out, hang }) => {
      out("x\n");
      return hang();
    };
    for await (const event of runner.run(py("1"))) {
      expect(event.type).toBe("stdout");
      break;
    }
    expect(sdk.created[0]?.runs[0]?.killed).toBe(true);
    await runner.close();
  });

  test("output past the cap is truncated and the command killed", async () => {
    const { sdk, runner } = setup({ outputBytes: 10 });
    sdk.script = async ({ out, sleep, hang }) => {
      out("123456");
      await sleep(1);
      out("789012345");
      await sleep(1);
      out("more");
      return hang();
    };
    const result = await collect(runner.run(py("while True: print(1)")));
    expect(result.stdout).toBe("1234567890");
    expect(result.exit).toMatchObject({ exitCode: null, truncated: true });
    expect(sdk.created[0]?.runs[0]?.killed).toBe(true);
    await runner.close();
  });

  test("one warm sandbox per user, reused; different users get different sandboxes", async () => {
    const { sdk, runner } = setup();
    sdk.script = async ({ sleep }) => {
      await sleep(10);
      return 0;
    };
    // Concurrent first runs of one user share a single create().
    await Promise.all([collect(runner.run(py("1"))), collect(runner.run(py("2")))]);
    await collect(runner.run(py("3")));
    expect(sdk.created).toHaveLength(1);
    expect(sdk.created[0]?.runs).toHaveLength(3);
    await collect(runner.run(py("4", { userId: "u2" })));
    expect(sdk.created).toHaveLength(2);
    expect(sdk.created[1]?.runs).toHaveLength(1);
    expect(sdk.createOptions[0]).toMatchObject({ apiKey: "e2b_test_key" });
    await runner.close();
    expect(sdk.created.every((s) => s.killed)).toBe(true);
  });

  test("an idle sandbox is reaped after idleMs, and the next run creates a new one", async () => {
    const { sdk, runner } = setup({ idleMs: 30 });
    await collect(runner.run(py("1")));
    expect(sdk.created[0]?.killed).toBe(false);
    await Bun.sleep(80);
    expect(sdk.created[0]?.killed).toBe(true);
    await collect(runner.run(py("2")));
    expect(sdk.created).toHaveLength(2);
    expect(sdk.created[1]?.killed).toBe(false);
    await runner.close();
  });

  test("a sandbox in use is not reaped", async () => {
    const { sdk, runner } = setup({ idleMs: 20 });
    sdk.script = async ({ sleep }) => {
      await sleep(100);
      return 0;
    };
    const result = await collect(runner.run(py("1")));
    expect(result.exit.exitCode).toBe(0);
    expect(sdk.created[0]?.killed).toBe(false);
    await runner.close();
  });

  test("create() failure throws UnavailableError before any event", async () => {
    const { sdk, runner } = setup();
    const auth = new Error("401: Invalid API key");
    auth.name = "AuthenticationError";
    sdk.createError = auth;
    const events: RunEvent[] = [];
    const failure = await (async () => {
      for await (const event of runner.run(py("1"))) events.push(event);
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect((failure as UnavailableError).status).toBe(503);
    expect((failure as Error).message).toContain(
      "E2B unavailable: AuthenticationError: 401: Invalid API key",
    );
    expect((failure as Error).cause).toBe(auth);
    expect(events).toHaveLength(0);
    // The failed create is not cached: the next run tries again.
    sdk.createError = undefined;
    expect((await collect(runner.run(py("1")))).exit.exitCode).toBe(0);
    await runner.close();
  });

  test("sandbox death mid-run ends the run with error, and the next run gets a new sandbox", async () => {
    const { sdk, runner } = setup();
    sdk.script = async ({ out, sandbox, sleep, hang }) => {
      out("before\n");
      await sleep(5);
      sandbox.die();
      return hang();
    };
    const result = await collect(runner.run(py("1")));
    expect(result.stdout).toBe("before\n");
    expect(result.stderr).toContain("E2B sandbox failed during the run");
    expect(result.exit).toMatchObject({ exitCode: null, error: "error" });
    sdk.script = () => 0;
    expect((await collect(runner.run(py("2")))).exit.exitCode).toBe(0);
    expect(sdk.created).toHaveLength(2);
    await runner.close();
  });

  test("a warm sandbox found dead at start is replaced transparently", async () => {
    const { sdk, runner } = setup();
    await collect(runner.run(py("1")));
    sdk.created[0]?.die();
    const result = await collect(runner.run(py("2")));
    expect(result.exit.exitCode).toBe(0);
    expect(sdk.created).toHaveLength(2);
    await runner.close();
  });

  test("a fresh sandbox failing to start a run throws UpstreamError", async () => {
    const { sdk, runner } = setup();
    const original = sdk.Sandbox.create;
    sdk.Sandbox.create = async (opts) => {
      const sandbox = (await original(opts)) as FakeSandbox;
      sandbox.die();
      return sandbox;
    };
    const failure = await collect(runner.run(py("1"))).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).status).toBe(502);
    expect((failure as Error).message).toStartWith("E2B failed:");
    await runner.close();
  });

  test("close() kills warm sandboxes and refuses new runs", async () => {
    const { sdk, runner } = setup();
    await collect(runner.run(py("1")));
    await collect(runner.run(py("1", { userId: "u2" })));
    await runner.close();
    expect(sdk.created.map((s) => s.killed)).toEqual([true, true]);
    expect(runner.status().available).toBe(false);
    await expect(collect(runner.run(py("1")))).rejects.toBeInstanceOf(UnavailableError);
  });
});

const liveKey = process.env.E2B_API_KEY;
if (!liveKey) console.warn("skipping live E2B test: E2B_API_KEY is not set");

describe.skipIf(!liveKey)("E2B runner (live)", () => {
  test("runs Python, JavaScript and TypeScript, streams output, honours the timeout", async () => {
    const runner = createE2BRunner({ apiKey: liveKey ?? "", logger: silentLogger(), idleMs: 10_000 });
    try {
      const python = await collect(
        runner.run(py("import sys\nprint('hi')\nprint('err', file=sys.stderr)\n")),
      );
      expect(python.stdout).toBe("hi\n");
      expect(python.stderr).toContain("err");
      expect(python.exit.exitCode).toBe(0);
      const js = await collect(
        runner.run({ language: "javascript", code: "console.log(1+1)", timeoutMs: 10_000, userId: "u1" }),
      );
      expect(js.stdout).toBe("2\n");
      const ts = await collect(
        runner.run({
          language: "typescript",
          code: "const n: number = 3; console.log(n)",
          timeoutMs: 30_000,
          userId: "u1",
        }),
      );
      expect(ts.stdout).toBe("3\n");
      const failing = await collect(runner.run(py("raise SystemExit(4)")));
      expect(failing.exit.exitCode).toBe(4);
      const slow = await collect(runner.run(py("import time\ntime.sleep(60)", { timeoutMs: 2000 })));
      expect(slow.exit.error).toBe("timeout");
    } finally {
      await runner.close();
    }
  }, 120_000);
});
