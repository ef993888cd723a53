import { index, integer, pgTable, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { projectFiles } from "./project-files.ts";
import { projects } from "./projects.ts";

/**
 * Indexed pieces of project files for AI context. The embedding is a plain `real[]`
 * (no pgvector: Debian's PostgreSQL 15 lacks it and PGlite's build pins versions).
 */
export const codeChunks = pgTable(
  "code_chunks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    fileId: uuid("file_id")
      .notNull()
      .references(() => projectFiles.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    functionName: text("function_name"),
    className: text("class_name"),
    language: text("language"),
    content: text("content").notNull(),
    contentHash: text("content_hash").notNull(),
    lineStart: integer("line_start").notNull(),
    lineEnd: integer("line_end").notNull(),
    tokenCount: integer("token_count").notNull().default(0),
    embedding: real("embedding").array(),
    embeddingModel: text("embedding_model"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.projectId, t.path), index().on(t.fileId)],
);

export type CodeChunk = typeof codeChunks.$inferSelect;
export type NewCodeChunk = typeof codeChunks.$inferInsert;
