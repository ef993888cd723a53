import { Elysia, t } from "elysia";
import { SyncSummary, TerminalPanel } from "../../../views/editor/_terminal.tsx";
import { ToastPartial } from "../../../views/editor/_toast.tsx";
import { FileTree } from "../../../views/editor/_tree.tsx";
import { assetUrl } from "../../assets.ts";
import type { Deps } from "../../deps.ts";
import { html } from "../../plugins/htmx.ts";
import { sessionPlugin } from "../auth/session-guard.ts";
import { buildTree } from "../editor/tree.ts";
import { loadTree } from "../editor/workspace.ts";
import { ProjectParams } from "../projects/model.ts";
import { TerminalParams } from "./model.ts";
import * as service from "./service.ts";

const CsrfForm = t.Optional(t.Object({ _csrf: t.Optional(t.String({ maxLength: 200 })) }));

/**
 * The terminal on the project page: `POST /projects/:id/terminals` answers the panel for the
 * caller's open terminal of the project (after a reload, a dropped connection or another tab),
 * else for a new one; the panel's Sync and Close post to the terminal's own paths.
 */
export function terminalPages(deps: Deps) {
  return new Elysia({ name: "terminal-pages" })
    .use(sessionPlugin(deps))
    .post(
      "/projects/:id/terminals",
      async ({ viewer, params }) => {
        const userId = viewer.user.id;
        const [open] = (await service.terminalsOf(deps, userId, params.id)) ?? [];
        const terminal = open ?? (await service.openTerminal(deps, userId, params.id));
        return html(
          <TerminalPanel
            projectId={params.id}
            terminalId={terminal.id}
            moduleUrl={assetUrl("terminal.js")}
          />,
          open ? 200 : 201,
        );
      },
      { session: true, params: ProjectParams, body: CsrfForm },
    )
    .post(
      "/projects/:id/terminals/:terminalId/sync",
      async ({ viewer, params }) => {
        const userId = viewer.user.id;
        const outcome = await service.syncTerminal(deps, userId, params.id, params.terminalId);
        const { paths, role } = await loadTree(deps, userId, params.id);
        const count = outcome.written.length + outcome.deleted.length;
        return html(
          <>
            <SyncSummary outcome={outcome} />
            {count > 0 ? (
              <hx-partial hx-target="#tree" hx-swap="outerHTML">
                <FileTree projectId={params.id} nodes={buildTree(paths)} role={role} />
              </hx-partial>
            ) : null}
            {outcome.conflicts.length > 0 ? (
              <ToastPartial
                kind="error"
                message={`${outcome.conflicts.length} file${outcome.conflicts.length === 1 ? " was" : "s were"} changed in the project meanwhile and left alone`}
              />
            ) : null}
          </>,
        );
      },
      { session: true, params: TerminalParams, body: CsrfForm },
    )
    .delete(
      "/projects/:id/terminals/:terminalId",
      async ({ viewer, params }) => {
        await service.closeTerminal(deps, viewer.user.id, params.id, params.terminalId);
        // The panel empties.
        return html("");
      },
      { session: true, params: TerminalParams },
    );
}
