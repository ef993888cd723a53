import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.ts";

/** Product events (logins, saves, runs). Anonymous events have no user. */
export const usageAnalytics = pgTable(
  "usage_analytics",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    eventType: text("event_type").notNull(),
    eventData: jsonb("event_data").$type<Record<string, unknown>>(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId, t.createdAt), index().on(t.eventType)],
);

export type UsageEvent = typeof usageAnalytics.$inferSelect;
export type NewUsageEvent = typeof usageAnalytics.$inferInsert;
