import { and, desc, eq, gte, sql } from "drizzle-orm";
import { aiInteractions, type NewAiInteraction } from "../schema/ai-interactions.ts";
import type { Database } from "../types.ts";

/** Several rows in one statement (the gateway's group commit, src/db/batch-writer.ts). */
export async function recordInteractions(db: Database, rows: NewAiInteraction[]): Promise<void> {
  await db.insert(aiInteractions).values(rows);
}

/** US cents the user's AI calls have cost since `since`. */
export async function spentSince(db: Database, userId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${aiInteractions.cost}), 0)`.mapWith(Number) })
    .from(aiInteractions)
    .where(and(eq(aiInteractions.userId, userId), gte(aiInteractions.createdAt, since)));
  return row?.total ?? 0;
}

/** The user's latest chat turns in a project, oldest first. */
export async function chatHistory(db: Database, userId: string, projectId: string, limit: number) {
  const rows = await db
    .select({
      requestData: aiInteractions.requestData,
      responseData: aiInteractions.responseData,
      model: aiInteractions.model,
      tokensInput: aiInteractions.tokensInput,
      tokensOutput: aiInteractions.tokensOutput,
      cost: aiInteractions.cost,
      createdAt: aiInteractions.createdAt,
    })
    .from(aiInteractions)
    .where(
      and(
        eq(aiInteractions.userId, userId),
        eq(aiInteractions.projectId, projectId),
        eq(aiInteractions.requestType, "chat"),
        // Answered, or stopped by the person with part of an answer kept (gateway.ts).
        sql`(${aiInteractions.error} is null or (${aiInteractions.error} = 'cancelled' and ${aiInteractions.responseData}->>'stopped' = 'true'))`,
      ),
    )
    .orderBy(desc(aiInteractions.createdAt))
    .limit(limit);
  return rows.reverse();
}
