import { and, asc, eq } from "drizzle-orm";
import { type OauthAccount, oauthAccounts } from "../schema/oauth-accounts.ts";
import type { Database } from "../types.ts";
import { isUuid } from "./ids.ts";

/** The link for this provider identity, or undefined when nobody has linked it. */
export async function getOauthAccount(
  db: Database,
  provider: string,
  providerAccountId: string,
): Promise<OauthAccount | undefined> {
  const [row] = await db
    .select()
    .from(oauthAccounts)
    .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.providerAccountId, providerAccountId)))
    .limit(1);
  return row;
}

/**
 * Link a provider identity to a user and return the link. If the identity was linked
 * concurrently, the existing link is returned instead; compare its `userId`.
 */
export async function linkOauthAccount(
  db: Database,
  input: { userId: string; provider: string; providerAccountId: string; email: string | null },
): Promise<OauthAccount> {
  const [row] = await db.insert(oauthAccounts).values(input).onConflictDoNothing().returning();
  return row ?? (await getOauthAccount(db, input.provider, input.providerAccountId))!;
}

/** The provider identities linked to this user, oldest first. */
export async function listUserOauthAccounts(db: Database, userId: string): Promise<OauthAccount[]> {
  if (!isUuid(userId)) return [];
  return db
    .select()
    .from(oauthAccounts)
    .where(eq(oauthAccounts.userId, userId))
    .orderBy(asc(oauthAccounts.createdAt));
}
