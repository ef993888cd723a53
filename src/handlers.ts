import type { Server, WebSocketHandler } from "bun";
import type { App } from "./app.ts";
import type { Deps } from "./deps.ts";
import {
  COLLAB_PREFIX,
  type CollabSocketData,
  collabWebSocket,
  upgradeCollab,
} from "./features/collab/socket.ts";

/** What Bun.serve needs: the HTTP handler (WebSocket upgrades included) and the socket handlers. */
export interface Handlers {
  /** Undefined when the request was upgraded to a WebSocket. */
  fetch(request: Request, server: Server<CollabSocketData>): Promise<Response | undefined>;
  websocket: WebSocketHandler<CollabSocketData>;
}

/**
 * The app's HTTP face plus the live-document sockets, which Bun upgrades outside Elysia (the
 * upgrade needs the server object, and a socket outlives the request).
 */
export function createHandlers(app: App, deps: Deps): Handlers {
  return {
    fetch(request, server) {
      if (new URL(request.url).pathname.startsWith(COLLAB_PREFIX))
        return upgradeCollab(deps, request, server);
      return app.handle(request);
    },
    websocket: collabWebSocket(deps),
  };
}
