import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
import { refuse } from "../auth/socket-auth.ts";
import { apiModels, bearer, errors, noContent, projectIdParameter } from "../docs/api-schema.ts";
import { ProjectParams } from "../projects/model.ts";
import { OpenedTerminal, OpenTerminalBody, SyncResult, TerminalParams } from "./model.ts";
import * as service from "./service.ts";

const terminalIdParameter = {
  name: "terminalId",
  in: "path",
  required: true,
  description: "The terminal's id, as its creation answered.",
} as const;

/** The socket's protocol, for the document (docs/api.md, "Terminal", says the same). */
const PROTOCOL =
  "A WebSocket (send `Upgrade: websocket`; auth by the session cookie or `?token=<access token>`). " +
  "Terminal data goes both ways as binary frames (a text frame is taken as typed text too). A text " +
  'frame holding a JSON object with a `type` is a control frame: `{"type":"resize","cols":N,"rows":N}`; ' +
  "any other `type` closes the socket (4400). On every attach the server first sends the retained output " +
  "(the last 64 KiB, in order, once), then everything new. When the terminal ends the server sends " +
  '`{"type":"exit","exitCode":N|null,"error"?:"memory"|"processes"|"idle"|"closed"}` as a text frame ' +
  "and closes with 1000. A terminal lives on the instance that started it: route its requests there " +
  "(sticky sessions).";

/** The JSON face of terminals (docs/api.md, "Terminal"); the socket itself is upgraded in handlers.ts. */
export function terminalRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects", tags: ["Terminal"] })
    .use(apiModels)
    .model({ OpenedTerminal, SyncResult })
    .use(authPlugin(deps))
    .post(
      "/:id/terminals",
      async ({ principal, params, body, set }) => {
        const terminal = await service.openTerminal(deps, principal.userId, params.id, body ?? {});
        set.status = 201;
        return { id: terminal.id };
      },
      {
        auth: "editor",
        params: ProjectParams,
        body: t.Optional(OpenTerminalBody),
        response: { 201: "OpenedTerminal", ...errors(400, 401, 403, 404, 409, 413, 429) },
        detail: {
          operationId: "openTerminal",
          summary: "Open a terminal",
          description:
            "Starts a shell in the sandbox with the project's text files in its working directory and no " +
            "network, under the same memory and process limits as a run (hitting either ends the terminal). " +
            "Editors and the owner only (a viewer: 403). Each user may have TERMINALS_PER_USER (2) open on " +
            "an instance; past that, 409. A terminal with no input or output for TERMINAL_IDLE_MINUTES " +
            "(15) is closed.",
          parameters: [projectIdParameter],
          ...bearer("editor"),
        },
      },
    )
    .get(
      "/:id/terminals/:terminalId",
      () => refuse(426, "upgrade_required", "This address is a terminal's WebSocket"),
      {
        params: TerminalParams,
        detail: {
          operationId: "attachTerminal",
          summary: "Attach to a terminal (WebSocket)",
          description: PROTOCOL,
          parameters: [projectIdParameter, terminalIdParameter],
          responses: {
            101: { description: "Switching protocols: the terminal's socket." },
            426: { description: "Not a WebSocket upgrade." },
          },
          ...bearer("api"),
        },
      },
    )
    .post(
      "/:id/terminals/:terminalId/sync",
      ({ principal, params }) => service.syncTerminal(deps, principal.userId, params.id, params.terminalId),
      {
        auth: "editor",
        params: TerminalParams,
        response: { 200: "SyncResult", ...errors(401, 403, 404, 429) },
        detail: {
          operationId: "syncTerminal",
          summary: "Bring a terminal's files into the project",
          description:
            "Stores each text file of the terminal's working directory that changed there since the terminal " +
            "started (or last synced), through the same path as an editor's save. A file also changed in the " +
            "project meanwhile is not written: it is listed in `conflicts`. Files deleted in the terminal " +
            "stay in the project.",
          parameters: [projectIdParameter, terminalIdParameter],
          ...bearer("editor"),
        },
      },
    )
    .delete(
      "/:id/terminals/:terminalId",
      async ({ principal, params, set }) => {
        await service.closeTerminal(deps, principal.userId, params.id, params.terminalId);
        set.status = 204;
      },
      {
        auth: "editor",
        params: TerminalParams,
        response: { 204: noContent("Closed."), ...errors(401, 403, 404, 429) },
        detail: {
          operationId: "closeTerminal",
          summary: "Close a terminal",
          description: "Ends the shell and everything it started, and removes its working directory.",
          parameters: [projectIdParameter, terminalIdParameter],
          ...bearer("editor"),
        },
      },
    );
}
