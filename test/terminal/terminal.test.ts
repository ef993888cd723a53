import { afterAll, describe, expect, test } from "bun:test";
import { createTestApp } from "../helpers/app.ts";
import { registerUser } from "../helpers/auth.ts";
import { api } from "../helpers/projects.ts";
import { sandboxSkipReason } from "../helpers/sandbox.ts";
import { listen } from "../helpers/server.ts";
import { attach } from "./helpers.ts";

const ESC = String.fromCharCode(27);
const skip = sandboxSkipReason();
if (skip) console.warn(`terminal tests skipped: ${skip}`);

describe.skipIf(Boolean(skip))("a terminal in the sandbox", async () => {
  // Several terminals at once here (a failed test leaves its own open); the limit has its own file.
  const t = await createTestApp({
    RATE_LIMIT_EDITOR: "100000/15m",
    RATE_LIMIT_API: "100000/15m",
    TERMINALS_PER_USER: "8",
  });
  const server = listen(t);
  const owner = await registerUser(t);
  const o = api(t, owner.auth);
  const project = await o.project({ name: "Shell", language: "python" });
  await o.put(`/api/v1/projects/${project.id}/files/data/notes.txt`, { content: "from the project\n" });
  afterAll(async () => {
    await server.stop();
    await t.close();
  });

  /** Open a terminal and attach to it, waiting for the first prompt. */
  async function shell() {
    const res = await o.post(`/api/v1/projects/${project.id}/terminals`, { cols: 80, rows: 24 });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const socket = attach(server.url, project.id, id, owner.token);
    await socket.opened;
    await socket.waitFor("$ ");
    return { id, socket, close: () => o.delete(`/api/v1/projects/${project.id}/terminals/${id}`) };
  }

  test("keystrokes go in and the output comes out, in the project's files", async () => {
    const { socket, close } = await shell();
    const from = socket.output.length;
    socket.type("ls; cat data/notes.txt; echo $((6*7))\r");
    const seen = await socket.waitFor("42\r\n", from);
    expect(seen).toContain("main.py");
    expect(seen).toContain("from the project");
    expect((await close()).status).toBe(204);
  }, 30_000);

  test("Ctrl-C interrupts `sleep 100` and the shell still answers", async () => {
    const { socket, close } = await shell();
    let from = socket.output.length;
    socket.type("sleep 100\r");
    await socket.waitFor("sleep 100\r\n", from);
    await Bun.sleep(300); // let the shell start sleep in the foreground
    from = socket.output.length;
    socket.type("\x03");
    await socket.waitFor("^C", from);
    from = socket.output.length;
    // Were sleep still running, this line would wait 100 s behind it and the test time out.
    socket.type("echo alive-$((40+2))\r");
    await socket.waitFor("alive-42", from);
    await close();
  }, 30_000);

  test("REPLs work: python3, and Ctrl-C interrupts a loop in it", async () => {
    const { socket, close } = await shell();
    let from = socket.output.length;
    socket.type("python3 -q\r");
    await socket.waitFor(">>> ", from);
    from = socket.output.length;
    socket.type("print(6*7)\r");
    await socket.waitFor("42\r\n", from);
    from = socket.output.length;
    socket.type("while True: pass\r\r");
    await Bun.sleep(300);
    socket.type("\x03");
    await socket.waitFor("KeyboardInterrupt", from);
    from = socket.output.length;
    socket.type("exit()\r");
    socket.type("bun -e 'console.log(6*9)'\r");
    await socket.waitFor(/\D54\D/, from);
    await close();
  }, 30_000);

  test("resize: `stty size` shows the new size", async () => {
    const { socket, close } = await shell();
    socket.resize(123, 37);
    const from = socket.output.length;
    socket.type("stty size\r");
    await socket.waitFor("37 123\r\n", from);
    await close();
  }, 30_000);

  test("re-attach replays the last 64 KiB in order, once, including output made while detached", async () => {
    const { id, socket, close } = await shell();
    let from = socket.output.length;
    socket.type("seq 1 30000; echo END-$((1+1))\r");
    await socket.waitFor("END-2\r\n", from);
    await socket.waitFor("$ ", socket.output.indexOf("END-2", from));
    from = socket.output.length;
    socket.type("sleep 1; seq 30001 31000; echo LATE-$((2+3))\r");
    await socket.waitFor("sleep 1; seq 30001 31000; echo LATE-$((2+3))\r\n", from);
    const before = socket.output;
    await socket.close();
    await Bun.sleep(2000); // the shell prints while no one is attached

    const again = attach(server.url, project.id, id, owner.token);
    await again.opened;
    const replay = await again.waitFor("LATE-5\r\n");
    await Bun.sleep(200);
    expect(again.frames).toBe(1);
    expect(replay.length).toBe(64 * 1024);
    // What was seen before the drop is continued exactly: the replay's head is the tail of it.
    const detachedAt = replay.indexOf("30001\r\n");
    expect(detachedAt).toBeGreaterThan(0);
    expect(before.endsWith(replay.slice(0, detachedAt))).toBe(true);
    // Every number once, in order, with nothing missing up to the last one.
    const numbers = replay
      .replace(new RegExp(`${ESC}\\[[0-9;?]*[a-zA-Z]`, "g"), "") // the shell's bracketed-paste switches
      .split("\n")
      .slice(1) // the first line may start mid-number
      .map((line) => line.replace(/^.*\r(?=.)/, "").replace(/\r$/, ""))
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1]! + 1);
    expect(numbers.at(-1)).toBe(31000);
    expect(replay.split("LATE-5\r\n").length).toBe(2);
    await again.close();
    await close();
  }, 60_000);

  test("two sockets on one terminal both see its output", async () => {
    const { id, socket, close } = await shell();
    const second = attach(server.url, project.id, id, owner.token);
    await second.opened;
    const from = second.output.length;
    socket.type("echo both-$((3*3))\r");
    await second.waitFor("both-9", from);
    await close();
    const ended = await second.closed;
    expect(ended.code).toBe(1000);
    expect(ended.exit).toEqual({ type: "exit", exitCode: null, error: "closed" } as never);
  }, 30_000);

  test("`exit` ends the terminal: the socket says so and the terminal is gone", async () => {
    const { id, socket } = await shell();
    socket.type("exit 3\r");
    const ended = await socket.closed;
    expect(ended.code).toBe(1000);
    expect(ended.exit?.exitCode).toBe(3);
    const res = await o.delete(`/api/v1/projects/${project.id}/terminals/${id}`);
    expect(res.status).toBe(404);
  }, 30_000);
});
