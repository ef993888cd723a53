import { Elysia, t } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../auth/auth-guard.ts";
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

/**
 * The JSON face of terminals (docs/api.md, "Terminal"). The socket is upgraded in handlers.ts,
 * outside the app, and documented with the other sockets in src/features/docs/spec.ts.
 */
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
            "started (or last synced), through the same path as an editor's save, and deletes from the project " +
            "each file the terminal started with (or synced) that was deleted there, as the file tree's delete " +
            "does. A file also changed in the project meanwhile is neither written nor deleted: it is listed " +
            "in `conflicts`. Files that never reached the terminal (binary, over 1 MiB, in `.git`, " +
            "`node_modules` or `__pycache__`) are never deleted.",
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
