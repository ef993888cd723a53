/**
 * `GET /api/v1/projects/:id/terminals/:terminalId`: a terminal's WebSocket. Data both ways as
 * binary frames (text frames are taken as typed text too); a text frame holding a JSON object
 * with a `type` is a control frame: `{"type":"resize","cols":N,"rows":N}`. On attach the server
 * first sends the retained output (the last 64 KiB, one binary frame), then everything new;
 * when the terminal ends it sends `{"type":"exit","exitCode":N|null,"error"?:…}` as a text frame
 * and closes with 1000.
 */
import { Value } from "@sinclair/typebox/value";
import type { Server, WebSocketHandler } from "bun";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { refuse, socketCaller } from "../auth/socket-auth.ts";
import type { Terminal, TerminalClient } from "./manager.ts";
import { ResizeFrame } from "./model.ts";
import { terminalOf } from "./service.ts";

/** `/api/v1/projects/<id>/terminals/<terminalId>`, nothing after. */
const TERMINAL_PATH = /^\/api\/v1\/projects\/([^/]+)\/terminals\/([^/]+)$/;

/** Keystrokes or a paste in one frame: at most this many bytes. */
const MAX_INPUT_BYTES = 1024 * 1024;

/** Close codes of the terminal socket besides 1000 (the terminal ended). */
const TERMINAL_CLOSE = { sessionEnded: 4401, malformed: 4400, tooLarge: 4413, behind: 4429 } as const;

/** A terminal socket's data: the terminal it is attached to. */
export interface TerminalSocketData {
  terminal: Terminal;
  /** The session the socket was opened with: its end (a logout) closes the socket. */
  sessionId: string;
  client?: TerminalClient;
}

/** Whether a request is for a terminal's socket (a GET of a terminal's own path). */
export function isTerminalSocket(request: Request, pathname: string): boolean {
  return request.method === "GET" && TERMINAL_PATH.test(pathname);
}

/**
 * Answer a GET of a terminal's path: upgrade it, or refuse it with the API's JSON error (401,
 * 403 for a viewer or a cross-site page, 404 for a stranger or a terminal that is not the
 * caller's). Returns undefined once upgraded.
 */
export async function upgradeTerminal(
  deps: Deps,
  request: Request,
  server: Server<TerminalSocketData>,
): Promise<Response | undefined> {
  const url = new URL(request.url);
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
    return refuse(426, "upgrade_required", "This address is a terminal's WebSocket");
  const who = await socketCaller(deps, request, url);
  if (who instanceof Response) return who;
  const [, projectId = "", terminalId = ""] = TERMINAL_PATH.exec(url.pathname) ?? [];
  let terminal: Terminal;
  try {
    terminal = await terminalOf(deps, who.principal.userId, projectId, terminalId);
  } catch (error) {
    if (error instanceof AppError) return refuse(error.status, error.code, error.message);
    throw error;
  }
  const headers = new Headers();
  for (const cookie of who.cookies) headers.append("set-cookie", cookie);
  if (!server.upgrade(request, { headers, data: { terminal, sessionId: who.principal.sessionId } }))
    return refuse(400, "bad_request", "WebSocket upgrade failed");
  return undefined;
}

/** A text frame as a control frame, or undefined when it is typed text. */
function controlOf(text: string): { type?: unknown } | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && "type" in value ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Bun's WebSocket handlers for terminal sockets. */
export function terminalWebSocket(deps: Pick<Deps, "terminals">): WebSocketHandler<TerminalSocketData> {
  const { terminals } = deps;
  return {
    open(ws) {
      const client: TerminalClient = {
        session: {
          id: ws.data.sessionId,
          ended() {
            if (ws.readyState === 1)
              ws.close(TERMINAL_CLOSE.sessionEnded, "your session ended; sign in again");
          },
        },
        data(bytes) {
          // A client that stops reading is dropped; it re-attaches and gets the retained output.
          if (ws.readyState === 1 && ws.send(bytes) === 0) ws.close(TERMINAL_CLOSE.behind, "too far behind");
        },
        ended(end) {
          if (ws.readyState !== 1) return;
          ws.send(JSON.stringify({ type: "exit", ...end }));
          ws.close(1000, "terminal ended");
        },
      };
      ws.data.client = client;
      terminals.attach(ws.data.terminal, client);
    },
    message(ws, message) {
      const { terminal } = ws.data;
      const size = typeof message === "string" ? message.length : message.byteLength;
      if (size > MAX_INPUT_BYTES) {
        ws.close(TERMINAL_CLOSE.tooLarge, "frame too large");
        return;
      }
      if (typeof message !== "string") {
        terminals.input(terminal, new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
        return;
      }
      const control = controlOf(message);
      if (!control) {
        terminals.input(terminal, message);
        return;
      }
      if (!Value.Check(ResizeFrame, control)) {
        ws.close(TERMINAL_CLOSE.malformed, "unknown control frame");
        return;
      }
      terminal.session.resize(control.cols, control.rows);
    },
    close(ws) {
      if (ws.data.client) terminals.detach(ws.data.terminal, ws.data.client);
    },
  };
}

/** Whether a socket is a terminal's (the server has one set of handlers for every socket). */
export function isTerminalData(data: unknown): data is TerminalSocketData {
  return typeof data === "object" && data !== null && "terminal" in data;
}
