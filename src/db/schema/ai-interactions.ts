import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects.ts";
import { users } from "./users.ts";

/** One AI request (completion, chat, analysis) with its cost, for usage and billing. */
export const aiInteractions = pgTable(
  "ai_interactions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    requestType: text("request_type").notNull(),
    model: text("model"),
    requestData: jsonb("request_data").$type<Record<string, unknown>>(),
    responseData: jsonb("response_data").$type<Record<string, unknown>>(),
    tokensInput: integer("tokens_input").notNull().default(0),
    tokensOutput: integer("tokens_output").notNull().default(0),
    // US cents; fractions of a cent are common per request.
    cost: doublePrecision("cost").notNull().default(0),
    latencyMs: integer("latency_ms"),
    cacheHit: boolean("cache_hit").notNull().default(false),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The day's spending per user (src/features/ai/spend.ts) and the usage pages.
    index().on(t.userId, t.createdAt),
    index().on(t.projectId),
    // A conversation's latest turns, read before every chat answer: without it the read sorts
    // every chat the user ever had in the project.
    index("ai_interactions_chat_history_index").on(t.userId, t.projectId, t.requestType, t.createdAt),
  ],
);

export type AiInteraction = typeof aiInteractions.$inferSelect;
export type NewAiInteraction = typeof aiInteractions.$inferInsert;
