import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createScheduler } from "../../src/adapters/sandbox/scheduler.ts";
import type { RunEvent, RunRequest, SandboxRunner } from "../../src/adapters/sandbox/types.ts";
import { collect, sandboxFixture, sandboxSkipReason } from "../helpers/sandbox.ts";

/** A runner whose runs end only when the test releases them, recording start order. */
function gatedRunner() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  let active = 0;
  let peak = 0;
  const runner: SandboxRunner = {
    kind: "local",
    limits: {
      timeoutMs: { default: 1000, max: 1000 },
      memoryBytes: 0,
      processes: 0,
      fileSizeBytes: 0,
      outputBytes: 0,
    },
    status: () => ({ available: true, languages: ["python"] }),
    async *run(request: RunRequest): AsyncGenerator<RunEvent> {
      started.push(request.code);
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => gates.set(request.code, resolve));
      active--;
      yield { type: "exit", exitCode: 0, executionTime: 1, truncated: false };
    },
    openPty: () => Promise.reject(new Error("this stand-in opens no terminals")),
    close: async () => undefined,
  };
  const release = async (name: string): Promise<void> => {
    for (let i = 0; i < 50 && !gates.has(name); i++) await Bun.sleep(1);
    gates.get(name)?.();
    gates.delete(name);
    await Bun.sleep(2);
  };
  return { runner, started, release, peak: () => peak };
}

const req = (code: string, signal?: AbortSignal): RunRequest => ({
  language: "python",
  code,
  timeoutMs: 1000,
  signal,
});

describe("sandbox scheduler", () => {
  test("users are served round-robin and FIFO within a user, with queue positions reported", async () => {
    const { runner, started, release } = gatedRunner();
    const scheduler = createScheduler(runner, { concurrency: 1, perUser: 2 });
    const runs = ["a1", "a2", "a3", "a4"].map((c) => collect(scheduler.run(req(c), "alice")));
    await Bun.sleep(5);
    runs.push(collect(scheduler.run(req("b1"), "bob")), collect(scheduler.run(req("b2"), "bob")));
    runs.push(collect(scheduler.run(req("c1"), "carol")));
    await Bun.sleep(5);
    expect(scheduler.stats()).toEqual({ running: 1, queued: 6 });
    for (const name of ["a1", "a2", "b1", "c1", "a3", "b2", "a4"]) await release(name);
    const results = await Promise.all(runs);
    expect(started).toEqual(["a1", "a2", "b1", "c1", "a3", "b2", "a4"]);
    const firstPosition = results.map((r) => r.events[0]);
    expect(firstPosition[0]).toEqual({ type: "queued", position: 0 });
    expect(firstPosition[1]).toEqual({ type: "queued", position: 1 });
    expect(firstPosition[3]).toEqual({ type: "queued", position: 3 });
    // a4 was 3rd in line, fell back to 6th when bob and carol arrived (round-robin lets
    // newcomers ahead of a burst), then counted down.
    const a4 = results[3]?.events
      .filter((e) => e.type === "queued")
      .map((e) => (e as { position: number }).position);
    expect(a4).toEqual([3, 6, 5, 4, 3, 2, 1]);
    expect(results.every((r) => r.exit.exitCode === 0)).toBe(true);
  });

  test("a user never has more than the per-user limit running while others get slots", async () => {
    const { runner, started, release, peak } = gatedRunner();
    const scheduler = createScheduler(runner, { concurrency: 4, perUser: 2 });
    const runs = ["a1", "a2", "a3", "a4"].map((c) => collect(scheduler.run(req(c), "alice")));
    runs.push(collect(scheduler.run(req("b1"), "bob")));
    await Bun.sleep(5);
    expect(started).toEqual(["a1", "a2", "b1"]);
    expect(scheduler.stats()).toEqual({ running: 3, queued: 2 });
    for (const name of ["a1", "b1", "a2", "a3", "a4"]) await release(name);
    await Promise.all(runs);
    expect(peak()).toBe(3);
  });

  test("a run cancelled while queued ends as cancelled and frees its place", async () => {
    const { runner, started, release } = gatedRunner();
    const scheduler = createScheduler(runner, { concurrency: 1 });
    const controller = new AbortController();
    const first = collect(scheduler.run(req("x1"), "u"));
    const waiting = collect(scheduler.run(req("x2", controller.signal), "v"));
    await Bun.sleep(5);
    controller.abort();
    expect((await waiting).exit.error).toBe("cancelled");
    expect(scheduler.stats().queued).toBe(0);
    await release("x1");
    await first;
    expect(started).toEqual(["x1"]);
  });
});

const skip = sandboxSkipReason();
describe.skipIf(Boolean(skip))("sandbox scheduler over the local runner", () => {
  let fx: Awaited<ReturnType<typeof sandboxFixture>>;
  beforeAll(async () => {
    fx = await sandboxFixture(2);
  });
  afterAll(async () => {
    await fx.dispose();
  });

  test("20 concurrent runs from 5 users all succeed, each in its own slot uid", async () => {
    const scheduler = createScheduler(fx.runner);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        collect(
          scheduler.run(
            { language: "python", code: `import os\nprint(${i}, os.getuid())`, timeoutMs: 5000 },
            `user-${i % 5}`,
          ),
        ),
      ),
    );
    results.forEach((r, i) => {
      expect(r.exit.exitCode).toBe(0);
      expect(r.stdout.split(" ")[0]).toBe(String(i));
    });
    expect(await fx.leftoverDirs()).toEqual([]);
  });
});
