import { and, eq, sql } from "drizzle-orm";
import { type GitRepo, gitCredentials, gitObjects, gitRepos } from "../schema/git.ts";
import type { Database } from "../types.ts";

/** The git link of a project (callers have asked the access guard), or undefined for a project without one. */
export async function getGitRepo(db: Database, projectId: string): Promise<GitRepo | undefined> {
  const [row] = await db.select().from(gitRepos).where(eq(gitRepos.projectId, projectId)).limit(1);
  return row;
}

/** The git link of a project, locked for the rest of the transaction. */
export async function lockGitRepo(db: Database, projectId: string): Promise<GitRepo | undefined> {
  const [row] = await db.select().from(gitRepos).where(eq(gitRepos.projectId, projectId)).for("update");
  return row;
}

type RepoFields = Omit<GitRepo, "projectId" | "version" | "updatedAt">;

export async function insertGitRepo(db: Database, projectId: string, fields: RepoFields): Promise<void> {
  await db.insert(gitRepos).values({ projectId, ...fields });
}

/** Write a repository's new state over the version it was read at; false when another write came first. */
export async function updateGitRepo(
  db: Database,
  projectId: string,
  version: number,
  fields: Partial<RepoFields>,
): Promise<boolean> {
  const rows = await db
    .update(gitRepos)
    .set({ ...fields, version: sql`${gitRepos.version} + 1`, updatedAt: new Date() })
    .where(and(eq(gitRepos.projectId, projectId), eq(gitRepos.version, version)))
    .returning({ version: gitRepos.version });
  return rows.length === 1;
}

/** Every file of a repository's object store, by name under `.git/objects`. */
export async function listGitObjects(db: Database, projectId: string) {
  return db
    .select({ name: gitObjects.name, data: gitObjects.data })
    .from(gitObjects)
    .where(eq(gitObjects.projectId, projectId));
}

/** Add object files (names already stored are left as they are: objects never change). */
export async function addGitObjects(
  db: Database,
  projectId: string,
  objects: { name: string; data: Uint8Array }[],
): Promise<void> {
  for (const object of objects)
    await db
      .insert(gitObjects)
      .values({ projectId, ...object })
      .onConflictDoNothing();
}

/** A user's encrypted git token, if they saved one. */
export async function getGitCredential(db: Database, userId: string) {
  const [row] = await db.select().from(gitCredentials).where(eq(gitCredentials.userId, userId)).limit(1);
  return row;
}

export async function putGitCredential(
  db: Database,
  userId: string,
  sealed: { iv: Uint8Array; ciphertext: Uint8Array },
): Promise<void> {
  await db
    .insert(gitCredentials)
    .values({ userId, ...sealed })
    .onConflictDoUpdate({ target: gitCredentials.userId, set: { ...sealed, createdAt: new Date() } });
}

export async function deleteGitCredential(db: Database, userId: string): Promise<boolean> {
  const rows = await db
    .delete(gitCredentials)
    .where(eq(gitCredentials.userId, userId))
    .returning({ userId: gitCredentials.userId });
  return rows.length > 0;
}
