import { and, desc, eq, gt, isNull, ne, type SQL, sql } from "drizzle-orm";
import { type RefreshToken, refreshTokens } from "../schema/refresh-tokens.ts";
import type { Database } from "../types.ts";
import { isUuid } from "./ids.ts";

/** A signed-in session: one refresh-token family, described by its newest token. */
export interface SessionRow {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
}

export async function insertRefreshToken(
  db: Database,
  row: Pick<RefreshToken, "userId" | "familyId" | "tokenHash" | "expiresAt" | "userAgent" | "ip"> & {
    id?: string;
  },
): Promise<RefreshToken> {
  const [inserted] = await db.insert(refreshTokens).values(row).returning();
  return inserted!;
}

export async function getRefreshTokenByHash(
  db: Database,
  tokenHash: string,
): Promise<RefreshToken | undefined> {
  const [row] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
  return row;
}

/**
 * Mark a token spent, atomically: only the first of two concurrent uses succeeds, so the
 * second is seen as reuse. Returns false when it was already spent or revoked.
 */
export async function spendRefreshToken(db: Database, id: string, replacedBy: string): Promise<boolean> {
  const spent = await db
    .update(refreshTokens)
    .set({ replacedBy, lastUsedAt: new Date() })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.replacedBy), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return spent.length === 1;
}

/**
 * Whether the session (refresh-token family) still belongs to `userId` and has a token that is
 * neither revoked nor expired — what an access token of that session needs to be honoured.
 */
export async function isSessionActive(db: Database, familyId: string, userId: string): Promise<boolean> {
  if (!isUuid(familyId) || !isUuid(userId)) return false;
  const [row] = await db
    .select({ id: refreshTokens.id })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.familyId, familyId),
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, new Date()),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Revoke the still-active tokens matching `where`; returns the families they belonged to. */
async function revokeWhere(db: Database, where: SQL | undefined): Promise<string[]> {
  const revoked = await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(and(isNull(refreshTokens.revokedAt), where))
    .returning({ familyId: refreshTokens.familyId });
  return [...new Set(revoked.map((r) => r.familyId))];
}

/** Revoke every token of a family (logout, reuse detected, session revoked). */
export async function revokeFamily(db: Database, familyId: string): Promise<void> {
  await revokeWhere(db, eq(refreshTokens.familyId, familyId));
}

/** Revoke one of the user's sessions; false when no such session of theirs is active. */
export async function revokeUserSession(db: Database, userId: string, familyId: string): Promise<boolean> {
  if (!isUuid(familyId)) return false;
  const revoked = await revokeWhere(
    db,
    and(eq(refreshTokens.userId, userId), eq(refreshTokens.familyId, familyId)),
  );
  return revoked.length > 0;
}

/** Revoke all of the user's sessions except `keep`; returns the revoked session ids. */
export async function revokeOtherSessions(db: Database, userId: string, keep?: string): Promise<string[]> {
  return revokeWhere(
    db,
    and(eq(refreshTokens.userId, userId), keep ? ne(refreshTokens.familyId, keep) : undefined),
  );
}

/** The user's active sessions, most recently used first. */
export async function listUserSessions(db: Database, userId: string): Promise<SessionRow[]> {
  const started = sql<string>`(select min(s.created_at) from refresh_tokens s where s.family_id = ${refreshTokens.familyId})`;
  const rows = await db
    .select({
      id: refreshTokens.familyId,
      userAgent: refreshTokens.userAgent,
      ip: refreshTokens.ip,
      createdAt: started,
      lastUsedAt: refreshTokens.createdAt,
    })
    .from(refreshTokens)
    .where(
      and(
        eq(refreshTokens.userId, userId),
        isNull(refreshTokens.revokedAt),
        isNull(refreshTokens.replacedBy),
        gt(refreshTokens.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(refreshTokens.createdAt));
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}
