import { describe, expect, test } from "bun:test";
import type { PtyExit, PtySession } from "../../src/adapters/sandbox/types.ts";
import { type TerminalEnd, TerminalManager } from "../../src/features/terminal/manager.ts";
import { OutputLog } from "../../src/features/terminal/output-log.ts";
import { silentLogger } from "../helpers/logs.ts";

/** A shell stand-in: what it is sent is kept, what it prints is up to the test. */
function standIn() {
  let print: (data: Uint8Array) => void = () => {};
  let exit: (e: PtyExit) => void = () => {};
  const written: string[] = [];
  let closed = 0;
  const session: PtySession = {
    write: (data) => written.push(typeof data === "string" ? data : new TextDecoder().decode(data)),
    resize: () => {},
    exited: new Promise((resolve) => {
      exit = resolve;
    }),
    readFiles: async () => ({ files: {}, gone: [] }),
    close: async () => {
      closed++;
    },
  };
  return {
    open: async (onData: (data: Uint8Array) => void) => {
      print = onData;
      onData(new TextEncoder().encode("$ "));
      return session;
    },
    print: (text: string) => print(new TextEncoder().encode(text)),
    exit: (e: PtyExit) => exit(e),
    written,
    closed: () => closed,
  };
}

const options = { logger: silentLogger(), perUser: 2, idleMs: 60_000, retainBytes: 16 };

describe("the output log", () => {
  test("keeps the last bytes in order, cutting the oldest chunk at the front", () => {
    const log = new OutputLog(8);
    for (const part of ["abc", "defg", "hijkl"]) log.push(new TextEncoder().encode(part));
    expect(new TextDecoder().decode(log.snapshot())).toBe("efghijkl");
    log.push(new TextEncoder().encode("0123456789"));
    expect(new TextDecoder().decode(log.snapshot())).toBe("23456789");
    expect(log.size).toBe(8);
  });
});

describe("the terminal manager", () => {
  test("output printed before the shell's start resolves is kept; attach replays it, then streams", async () => {
    const manager = new TerminalManager(options);
    const shell = standIn();
    const terminal = await manager.open({ userId: "u", projectId: "P", base: new Map(), open: shell.open });
    shell.print("one ");
    const seen: string[] = [];
    manager.attach(terminal, { data: (b) => seen.push(new TextDecoder().decode(b)), ended: () => {} });
    shell.print("two");
    expect(seen).toEqual(["$ one ", "two"]);
    // Lookups are the owner's, in the project (case of the id aside).
    expect(manager.find(terminal.id, "u", "p")).toBe(terminal);
    expect(manager.find(terminal.id, "someone else", "p")).toBeUndefined();
    await manager.closeAll();
  });

  test("the shell's exit reaches attached clients, frees the user's place and closes the session", async () => {
    const manager = new TerminalManager(options);
    const shell = standIn();
    const terminal = await manager.open({ userId: "u", projectId: "p", base: new Map(), open: shell.open });
    const ends: TerminalEnd[] = [];
    manager.attach(terminal, { data: () => {}, ended: (e) => ends.push(e) });
    shell.exit({ exitCode: null, error: "memory" });
    await Bun.sleep(0);
    await Bun.sleep(0);
    expect(ends).toEqual([{ exitCode: null, error: "memory" }]);
    expect(shell.closed()).toBe(1);
    expect(manager.find(terminal.id, "u", "p")).toBeUndefined();
    await manager.closeAll();
  });

  test("past the per-user limit opening is a 409, and a failed start frees its place", async () => {
    const manager = new TerminalManager(options);
    const open = () => manager.open({ userId: "u", projectId: "p", base: new Map(), open: standIn().open });
    await open();
    await expect(
      manager.open({
        userId: "u",
        projectId: "p",
        base: new Map(),
        open: () => Promise.reject(new Error("no sandbox")),
      }),
    ).rejects.toThrow("no sandbox");
    await open();
    await expect(open()).rejects.toMatchObject({ status: 409 });
    await manager.closeAll();
  });

  test("a terminal without input or output for the idle time is closed, its clients told why", async () => {
    const manager = new TerminalManager({ ...options, idleMs: 200 });
    const shell = standIn();
    const terminal = await manager.open({ userId: "u", projectId: "p", base: new Map(), open: shell.open });
    const ended = new Promise<TerminalEnd>((resolve) =>
      manager.attach(terminal, { data: () => {}, ended: resolve }),
    );
    expect(await ended).toEqual({ exitCode: null, error: "idle" });
    expect(shell.closed()).toBe(1);
    await manager.closeAll();
  });
});
