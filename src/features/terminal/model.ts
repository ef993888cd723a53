import { t } from "elysia";

/** A terminal's size, as xterm measures it; also its first size when opened. */
const Cols = t.Integer({ minimum: 2, maximum: 1000, description: "Columns" });
const Rows = t.Integer({ minimum: 1, maximum: 500, description: "Rows" });

/** Body of `POST /api/v1/projects/:id/terminals` (optional). */
export const OpenTerminalBody = t.Object({ cols: t.Optional(Cols), rows: t.Optional(Rows) });

/** Path of one terminal: its project and its id. */
export const TerminalParams = t.Object({
  id: t.String({ maxLength: 64 }),
  terminalId: t.String({ maxLength: 64 }),
});

/** A control frame a client sends over the terminal socket (a text frame holding JSON). */
export const ResizeFrame = t.Object({ type: t.Literal("resize"), cols: Cols, rows: Rows });

export const OpenedTerminal = t.Object(
  { id: t.String({ description: "The terminal's id: its WebSocket is `…/terminals/{id}`" }) },
  { description: "The terminal is open; attach to its WebSocket." },
);

export const SyncResult = t.Object(
  {
    written: t.Array(t.Object({ path: t.String(), version: t.Integer({ minimum: 1 }) }), {
      description: "Files of the working directory stored into the project",
    }),
    deleted: t.Array(t.Object({ path: t.String() }), {
      description:
        "Files deleted in the terminal, and so deleted from the project (only files the terminal started with or synced)",
    }),
    conflicts: t.Array(t.Object({ path: t.String(), version: t.Integer({ minimum: 0 }) }), {
      description:
        "Changed (or deleted) in the terminal and changed in the project since the terminal started (or last synced): neither written nor deleted; `version` is the project's",
    }),
    skipped: t.Array(t.Object({ path: t.String(), reason: t.String() }), {
      description: "Files that cannot be stored (a bad path, too large, or the project's limits)",
    }),
  },
  { description: "What a sync wrote and deleted, and what it left for you to resolve." },
);

export type SyncOutcome = typeof SyncResult.static;
