import { eq } from "drizzle-orm";
import { type NewUser, type User, users } from "../schema/users.ts";
import type { Database } from "../types.ts";
import { isUuid } from "./ids.ts";

/** The stored form of an email: trimmed and lowercased, so lookups and uniqueness ignore case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Insert a user with a normalized email and return the row. A taken email throws the
 * driver's unique violation; detect it with `isUniqueViolation`.
 */
export async function createUser(
  db: Database,
  input: Omit<NewUser, "id" | "createdAt" | "updatedAt">,
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ ...input, email: normalizeEmail(input.email) })
    .returning();
  return user!;
}

/** The user with this id, or undefined (also for a malformed id). */
export async function getUserById(db: Database, id: string): Promise<User | undefined> {
  if (!isUuid(id)) return undefined;
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** The user with this email in any letter case, or undefined. */
export async function getUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  return user;
}

/** Record a successful sign-in. */
export async function touchUserLogin(db: Database, id: string): Promise<void> {
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, id));
}

/**
 * Lock the user's row until the transaction ends, serializing every change to what the user
 * stores (saves, renames, deletes, new projects) so its limits are checked against committed
 * totals. `no key update` leaves rows that merely reference the user (new sessions) unblocked.
 */
export async function lockUser(db: Database, id: string): Promise<void> {
  await db.select({ id: users.id }).from(users).where(eq(users.id, id)).for("no key update");
}
