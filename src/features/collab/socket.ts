/**
 * `GET /api/v1/collab/:projectId/*path`: the WebSocket of a live document. The upgrade is
 * decided before any room exists: a valid session (the cookie, or `?token=` for scripts),
 * membership of the project, and an existing file; otherwise a plain JSON error (401, 403 for
 * a cross-site page, 404, 503 when the document has its maximum of connections).
 */
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Deps } from "../../deps.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { currentUser } from "../auth/service.ts";
import { refuse, socketCaller } from "../auth/socket-auth.ts";
import { validatePath } from "../files/paths.ts";
import { projectAccess } from "../projects/access.ts";
import type { CollabHub } from "./hub.ts";
import { CLOSE, MalformedMessage, type Peer, type Room } from "./room.ts";

export const COLLAB_PREFIX = "/api/v1/collab/";

/** A message larger than a whole document can be (the 1 MiB text, encoded, plus headroom). */
const MAX_MESSAGE_BYTES = 2 * 1024 * 1024 + 64 * 1024;

/** A socket's data: its room and who is connected. */
export interface CollabSocketData {
  room: Room;
  userId: string;
  sessionId: string;
  name: string;
  canWrite: boolean;
  /** Set when the socket opens. */
  peer?: Peer;
}

type SocketDeps = Pick<Deps, "db" | "cache" | "memo" | "config" | "tokens" | "logger"> & {
  collab: CollabHub;
};

const COLOURS = ["#e11d48", "#d97706", "#059669", "#0284c7", "#7c3aed", "#db2777", "#0d9488", "#4f46e5"];

/** A person's colour in every editor: the same on every page and instance. */
function colourOf(userId: string): string {
  let hash = 0;
  for (const c of userId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length]!;
}

/** The project id and file path of a collab URL; undefined for anything malformed. */
function target(pathname: string): { projectId: string; path: string } | undefined {
  const [projectId, ...segments] = pathname.slice(COLLAB_PREFIX.length).split("/");
  if (!projectId || segments.length === 0) return undefined;
  try {
    return { projectId, path: validatePath(segments.map(decodeURIComponent).join("/")) };
  } catch (error) {
    if (error instanceof URIError || error instanceof ValidationError) return undefined;
    throw error;
  }
}

/**
 * Answer a request under /api/v1/collab/: upgrade it, or refuse it with the API's JSON error.
 * Returns undefined once upgraded (Bun then owns the connection).
 */
export async function upgradeCollab(
  deps: SocketDeps,
  request: Request,
  server: Server<CollabSocketData>,
): Promise<Response | undefined> {
  const url = new URL(request.url);
  if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
    return refuse(426, "upgrade_required", "This address is a WebSocket (the y-websocket protocol)");
  const who = await socketCaller(deps, request, url);
  if (who instanceof Response) return who;
  const place = target(url.pathname);
  if (!place) return refuse(404, "not_found", "File not found");
  const userId = who.principal.userId;
  let role: string;
  try {
    role = (await projectAccess(deps, userId, place.projectId, "viewer")).role;
  } catch (error) {
    if (error instanceof NotFoundError) return refuse(404, "not_found", "Project not found");
    throw error;
  }
  const room = await deps.collab.room(place.projectId, place.path);
  if (!room) return refuse(404, "not_found", "File not found");
  if (room.peers.size >= deps.config.collab.maxConnections)
    return new Response(
      JSON.stringify({
        error: {
          code: "unavailable",
          message: "This document has its maximum of connections; try again later",
        },
      }),
      { status: 503, headers: { "content-type": "application/json", "retry-after": "5" } },
    );
  const user = await currentUser(deps, userId).catch(() => undefined);
  if (!user) return refuse(401, "unauthorized", "Session ended");
  const name = [user.firstName, user.lastName].filter(Boolean).join(" ") || user.email;
  const headers = new Headers();
  for (const cookie of who.cookies) headers.append("set-cookie", cookie);
  const data: CollabSocketData = {
    room,
    userId,
    sessionId: who.principal.sessionId,
    name,
    canWrite: role !== "viewer",
  };
  if (!server.upgrade(request, { headers, data }))
    return refuse(400, "bad_request", "WebSocket upgrade failed");
  return undefined;
}

function peerOf(ws: ServerWebSocket<CollabSocketData>): Peer {
  const { userId, sessionId, name, canWrite } = ws.data;
  return {
    userId,
    sessionId,
    name,
    color: colourOf(userId),
    canWrite,
    owned: new Set(),
    send(data) {
      // A client that stops reading is dropped rather than buffered without bound.
      if (ws.readyState === 1 && ws.send(data) === 0) ws.close(CLOSE.storeFailed, "too far behind");
    },
    close: (code, reason) => ws.close(code, reason),
  };
}

/** Bun's WebSocket handlers for live-document sockets. */
export function collabWebSocket(deps: Pick<Deps, "logger">): WebSocketHandler<CollabSocketData> {
  return {
    maxPayloadLength: 16 * 1024 * 1024,
    idleTimeout: 120,
    sendPings: true,
    perMessageDeflate: false,
    open(ws) {
      const peer = peerOf(ws);
      ws.data.peer = peer;
      const { room } = ws.data;
      if (room.closed) {
        ws.close(CLOSE.shuttingDown, "the document was unloaded; reconnect");
        return;
      }
      room.join(peer);
    },
    message(ws, message) {
      const { room, peer } = ws.data;
      if (!peer) return;
      if (typeof message === "string") {
        ws.close(CLOSE.malformed, "binary messages only");
        return;
      }
      if (message.byteLength > MAX_MESSAGE_BYTES) {
        ws.close(CLOSE.tooLarge, "message too large");
        return;
      }
      try {
        room.receive(peer, new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
      } catch (error) {
        if (!(error instanceof MalformedMessage))
          deps.logger.warn({ err: error }, "live document: a message failed");
        ws.close(CLOSE.malformed, "malformed message");
      }
    },
    close(ws) {
      if (ws.data.peer) ws.data.room.leave(ws.data.peer);
    },
  };
}
