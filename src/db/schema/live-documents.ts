import {
  bigserial,
  customType,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { users } from "./users.ts";

/** Binary Yjs updates. postgres.js returns a Buffer and PGlite a Uint8Array: both are Uint8Arrays. */
const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * The live document of a file: its Yjs state as of the last checkpoint. `id` names the
 * document's lineage — a file deleted and created again starts a new one, so browsers key
 * their local copies by it and never merge one lineage into another.
 */
export const docStates = pgTable(
  "doc_states",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    state: bytes("state").notNull(),
    // The file version this document was last written to (or read from): a stored file above
    // it was changed outside the document, which then takes the file's text.
    fileVersion: integer("file_version").notNull().default(0),
    // The file version of the last replacement from outside the editor (an upload, a pull) that
    // was put into the document as an edit, stored in its log: a copy of the document that has
    // not taken it in yet catches up from the log before it writes the file.
    replacedVersion: integer("replaced_version").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    checkpointAt: timestamp("checkpoint_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.projectId, t.path)],
);

/**
 * Updates to a live document since its checkpoint, in arrival order: each is stored before it
 * is relayed, so an edit another client has seen survives a crash. Folded into the state by
 * the next checkpoint.
 */
export const docUpdates = pgTable(
  "doc_updates",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    docId: uuid("doc_id")
      .notNull()
      .references(() => docStates.id, { onDelete: "cascade" }),
    update: bytes("update").notNull(),
    // Who made the edit, for the history's "edited by"; kept when the account goes.
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.docId, t.seq)],
);

export type DocState = typeof docStates.$inferSelect;
export type DocUpdate = typeof docUpdates.$inferSelect;
