import { and, asc, count, eq, inArray, isNotNull, ne } from "drizzle-orm";
import { aiInteractions } from "../schema/ai-interactions.ts";
import { oauthAccounts } from "../schema/oauth-accounts.ts";
import { projectMembers } from "../schema/project-members.ts";
import { projects } from "../schema/projects.ts";
import { usageAnalytics } from "../schema/usage-analytics.ts";
import { type User, users } from "../schema/users.ts";
import type { Database } from "../types.ts";

/** A project the user owns, with how many other people (members and invitations) share it. */
export interface OwnedProject {
  id: string;
  name: string;
  description: string | null;
  language: string | null;
  createdAt: Date;
  updatedAt: Date;
  sharedWith: number;
}

/** Change the user's name; undefined fields stay. Returns the updated row. */
export async function updateUserName(
  db: Database,
  id: string,
  names: { firstName?: string | null; lastName?: string | null },
): Promise<User | undefined> {
  const [row] = await db.update(users).set(names).where(eq(users.id, id)).returning();
  return row;
}

/** Store a new password hash. */
export async function setUserPassword(db: Database, id: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}

/** Delete the user row; what still references it cascades (sessions, links, memberships, projects). */
export async function deleteUserRow(db: Database, id: string): Promise<boolean> {
  const deleted = await db.delete(users).where(eq(users.id, id)).returning({ id: users.id });
  return deleted.length === 1;
}

/** Remove one provider link of the user; false when there was none. */
export async function unlinkOauthAccount(db: Database, userId: string, provider: string): Promise<boolean> {
  const deleted = await db
    .delete(oauthAccounts)
    .where(and(eq(oauthAccounts.userId, userId), eq(oauthAccounts.provider, provider)))
    .returning({ id: oauthAccounts.id });
  return deleted.length > 0;
}

/** The projects the user owns, by name, each with the number of people it is shared with. */
export async function listOwnedProjects(db: Database, userId: string): Promise<OwnedProject[]> {
  const sharedWith = db
    .select({ projectId: projectMembers.projectId, n: count().as("n") })
    .from(projectMembers)
    .groupBy(projectMembers.projectId)
    .as("shared");
  const rows = await db
    .select({
      id: projects.id,
      name: projects.name,
      description: projects.description,
      language: projects.language,
      createdAt: projects.createdAt,
      updatedAt: projects.updatedAt,
      sharedWith: sharedWith.n,
    })
    .from(projects)
    .leftJoin(sharedWith, eq(sharedWith.projectId, projects.id))
    .where(eq(projects.userId, userId))
    .orderBy(asc(projects.name), asc(projects.id));
  return rows.map((r) => ({ ...r, sharedWith: Number(r.sharedWith ?? 0) }));
}

/** The projects of others the user is a member of, with their role. */
export async function listMemberships(db: Database, userId: string) {
  return db
    .select({ projectId: projectMembers.projectId, name: projects.name, role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(eq(projectMembers.userId, userId))
    .orderBy(asc(projects.name));
}

/** The user's AI chats, oldest first, with the project each belongs to (null once it is gone). */
export async function listUserChats(db: Database, userId: string) {
  return db
    .select({
      projectId: aiInteractions.projectId,
      model: aiInteractions.model,
      request: aiInteractions.requestData,
      response: aiInteractions.responseData,
      createdAt: aiInteractions.createdAt,
    })
    .from(aiInteractions)
    .where(and(eq(aiInteractions.userId, userId), eq(aiInteractions.requestType, "chat")))
    .orderBy(asc(aiInteractions.createdAt));
}

/**
 * Erase what other people said to the AI about these projects (their conversations there),
 * keeping the rows themselves: they are those people's usage and count against their budgets.
 */
export async function eraseOthersConversations(
  db: Database,
  userId: string,
  projectIds: string[],
): Promise<void> {
  if (projectIds.length === 0) return;
  await db
    .update(aiInteractions)
    .set({ requestData: null, responseData: null })
    .where(
      and(
        inArray(aiInteractions.projectId, projectIds),
        ne(aiInteractions.userId, userId),
        isNotNull(aiInteractions.projectId),
      ),
    );
}

/** Delete the user's product events (sign-ins, saves, runs) rather than leave them anonymous. */
export async function deleteUserEvents(db: Database, userId: string): Promise<void> {
  await db.delete(usageAnalytics).where(eq(usageAnalytics.userId, userId));
}
