import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** People who sign in. `email` is stored lowercased so the unique constraint is case-blind. */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  // Null for accounts that only ever signed in with OAuth.
  passwordHash: text("password_hash"),
  firstName: text("first_name"),
  lastName: text("last_name"),
  subscriptionTier: text("subscription_tier").notNull().default("free"),
  role: text("role", { enum: ["user", "admin"] })
    .notNull()
    .default("user"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
  lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
});

export type User = typeof users.$inferSelect;

/**
 * A user as requests see it: everything but the password hash. The signed-in user is
 * remembered in memory and handed to every route and page, none of which needs the hash; the
 * one check that does (the account's current password) reads it from the database.
 */
export type AccountUser = Omit<User, "passwordHash"> & { hasPassword: boolean };

export function accountUser({ passwordHash, ...user }: User): AccountUser {
  return { ...user, hasPassword: passwordHash !== null };
}
export type NewUser = typeof users.$inferInsert;
