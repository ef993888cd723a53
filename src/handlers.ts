import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { App } from "./app.ts";
import type { Deps } from "./deps.ts";
import {
  COLLAB_PREFIX,
  type CollabSocketData,
  collabWebSocket,
  upgradeCollab,
} from "./features/collab/socket.ts";
import {
  isTerminalData,
  isTerminalSocket,
  type TerminalSocketData,
  terminalWebSocket,
  upgradeTerminal,
} from "./features/terminal/socket.ts";
import { keepEventStreamOpen } from "./plugins/event-streams.ts";

/** What one socket of the server carries: a live document, or a terminal. */
export type SocketData = CollabSocketData | TerminalSocketData;

/** What Bun.serve needs: the HTTP handler (WebSocket upgrades included) and the socket handlers. */
export interface Handlers {
  /** Undefined when the request was upgraded to a WebSocket. */
  fetch(request: Request, server: Server<SocketData>): Promise<Response | undefined>;
  websocket: WebSocketHandler<SocketData>;
}

/**
 * The app's HTTP face plus the live-document and terminal sockets, which Bun upgrades outside
 * Elysia (the upgrade needs the server object, and a socket outlives the request). Bun has one
 * set of socket handlers per server: each event goes to the kind of socket it is for.
 */
export function createHandlers(app: App, deps: Deps): Handlers {
  const collab = collabWebSocket(deps);
  const terminal = terminalWebSocket(deps);
  type Ws = ServerWebSocket<SocketData>;
  const asCollab = (ws: Ws) => ws as ServerWebSocket<CollabSocketData>;
  const asTerminal = (ws: Ws) => ws as ServerWebSocket<TerminalSocketData>;
  return {
    fetch(request, server) {
      const { pathname } = new URL(request.url);
      if (pathname.startsWith(COLLAB_PREFIX)) return upgradeCollab(deps, request, server);
      if (isTerminalSocket(request, pathname)) return upgradeTerminal(deps, request, server);
      return app.handle(request).then((response) => keepEventStreamOpen(request, response, server));
    },
    websocket: {
      maxPayloadLength: collab.maxPayloadLength,
      idleTimeout: collab.idleTimeout,
      sendPings: collab.sendPings,
      perMessageDeflate: collab.perMessageDeflate,
      open(ws) {
        if (isTerminalData(ws.data)) terminal.open?.(asTerminal(ws));
        else collab.open?.(asCollab(ws));
      },
      message(ws, message) {
        if (isTerminalData(ws.data)) terminal.message?.(asTerminal(ws), message);
        else collab.message?.(asCollab(ws), message);
      },
      close(ws, code, reason) {
        if (isTerminalData(ws.data)) terminal.close?.(asTerminal(ws), code, reason);
        else collab.close?.(asCollab(ws), code, reason);
      },
    },
  };
}
