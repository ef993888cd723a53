import { integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";

/** `utf8`: the file is text and `content` is it; `base64`: a binary file, `content` its bytes in base64. */
export type FileEncoding = "utf8" | "base64";

/** The current content of each file of a project; `version` rises by one per save. */
export const projectFiles = pgTable(
  "project_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    content: text("content").notNull().default(""),
    // How `content` holds the bytes: UTF-8 text as is, or any other file as base64 (docs/decisions.md).
    encoding: text("encoding").$type<FileEncoding>().notNull().default("utf8"),
    sizeBytes: integer("size_bytes").notNull().default(0),
    version: integer("version").notNull().default(1),
    contentHash: text("content_hash").notNull(),
    language: text("language"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  // The unique constraint's index also serves lookups by project.
  (t) => [unique().on(t.projectId, t.path)],
);

export type ProjectFile = typeof projectFiles.$inferSelect;
export type NewProjectFile = typeof projectFiles.$inferInsert;
