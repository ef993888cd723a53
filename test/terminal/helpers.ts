import { createHandlers } from "../../src/handlers.ts";
import type { TestApp } from "../helpers/app.ts";

/** How a terminal socket ended, and the exit frame the server sent before, if any. */
export interface Ended {
  code: number;
  exit?: { exitCode: number | null; error?: string };
}

/**
 * A terminal socket as a script uses it: output kept as one latin1 string (one char per byte,
 * so lengths are byte counts), keystrokes sent as binary frames, resize as a control frame.
 */
export function attach(serverUrl: string, projectId: string, terminalId: string, token: string) {
  const url = `${serverUrl.replace(/^http/, "ws")}/api/v1/projects/${projectId}/terminals/${terminalId}?token=${encodeURIComponent(token)}`;
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  const state = { output: "", frames: 0, exit: undefined as Ended["exit"] };
  ws.onmessage = (e) => {
    if (typeof e.data === "string") state.exit = JSON.parse(e.data) as Ended["exit"];
    else {
      state.frames++;
      state.output += Buffer.from(e.data as ArrayBuffer).toString("latin1");
    }
  };
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("terminal socket failed"));
  });
  const closed = new Promise<Ended>((resolve) => {
    ws.onclose = (e) => resolve({ code: e.code, ...(state.exit ? { exit: state.exit } : {}) });
  });
  return {
    ws,
    opened,
    closed,
    get output() {
      return state.output;
    },
    get frames() {
      return state.frames;
    },
    type(text: string) {
      ws.send(new TextEncoder().encode(text));
    },
    resize(cols: number, rows: number) {
      ws.send(JSON.stringify({ type: "resize", cols, rows }));
    },
    /** Wait until the output (after `from`) matches; a time limit only so a broken shell fails the test. */
    async waitFor(pattern: string | RegExp, from = 0, ms = 20_000): Promise<string> {
      const deadline = Date.now() + ms;
      for (;;) {
        const seen = state.output.slice(from);
        if (typeof pattern === "string" ? seen.includes(pattern) : pattern.test(seen)) return seen;
        if (Date.now() > deadline)
          throw new Error(`no ${String(pattern)} in terminal output: ${JSON.stringify(seen.slice(-400))}`);
        await Bun.sleep(10);
      }
    },
    close() {
      ws.close();
      return closed;
    },
  };
}

export type TerminalSocket = ReturnType<typeof attach>;

/** The status a refused terminal upgrade answers, asked through the handlers as Bun would call them. */
export async function upgradeStatus(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const handlers = createHandlers(t.app, t.deps);
  const request = new Request(`http://localhost${path}`, {
    headers: { upgrade: "websocket", connection: "Upgrade", ...headers },
  });
  const server = {
    upgrade() {
      throw new Error("must not upgrade");
    },
  } as unknown as Parameters<typeof handlers.fetch>[1];
  const res = await handlers.fetch(request, server);
  return res?.status;
}
