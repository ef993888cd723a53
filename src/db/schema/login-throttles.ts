import { index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Failed sign-ins per key (an IP, or an IP + email) and the lockouts they earned. Kept in the
 * database, not the cache, so a lockout outlives a restart of an instance without Redis and
 * holds on every instance. A row whose `expiresAt` has passed means nothing and may be deleted.
 */
export const loginThrottles = pgTable(
  "login_throttles",
  {
    key: text("key").primaryKey(),
    /** Attempts counted in the current window (a success gives its attempt back). */
    failures: integer("failures").notNull().default(0),
    windowEndsAt: timestamp("window_ends_at", { withTimezone: true }).notNull(),
    /** Lockouts since `strikesResetAt - 1 day`; each doubles the next one. */
    strikes: integer("strikes").notNull().default(0),
    strikesResetAt: timestamp("strikes_reset_at", { withTimezone: true }),
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.expiresAt)],
);

export type LoginThrottle = typeof loginThrottles.$inferSelect;
