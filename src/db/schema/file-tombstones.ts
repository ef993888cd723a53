import { integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";

/**
 * The last version a path of a project reached before its file was deleted or moved away. A
 * file created there again continues above it, so a save based on a version of the old file
 * can never match the new one. A row lives only while its path holds no file.
 */
export const fileTombstones = pgTable(
  "file_tombstones",
  {
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    lastVersion: integer("last_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.path] })],
);
