import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { type FileEncoding, projectFiles } from "./project-files.ts";
import { projects } from "./projects.ts";
import { users } from "./users.ts";

/** Earlier contents of a file, one row per saved version. */
export const fileVersions = pgTable(
  "file_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    fileId: uuid("file_id")
      .notNull()
      .references(() => projectFiles.id, { onDelete: "cascade" }),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    version: integer("version").notNull(),
    content: text("content").notNull(),
    encoding: text("encoding").$type<FileEncoding>().notNull().default("utf8"),
    contentHash: text("content_hash").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // History outlives the account that wrote it.
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    // Everyone whose edits the snapshot holds since the one before (live documents have many writers).
    authors: uuid("authors").array().notNull().default(sql`'{}'::uuid[]`),
  },
  (t) => [unique().on(t.fileId, t.version), index().on(t.projectId)],
);

export type FileVersion = typeof fileVersions.$inferSelect;
