import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { type MemberRole, projectMembers } from "../schema/project-members.ts";
import { type Project, projects } from "../schema/projects.ts";
import { users } from "../schema/users.ts";
import type { Database } from "../types.ts";
import { isUuid } from "./ids.ts";
import { normalizeEmail } from "./users.ts";

/** A project and the role of each member with an account (the owner is `project.userId`). */
export interface Roster {
  project: Project;
  roles: ReadonlyMap<string, MemberRole>;
  /** Everyone with access, owner first. */
  userIds: readonly string[];
}

/** A person on a project's member list; `userId` is null while an invitation is pending. */
export interface MemberRow {
  userId: string | null;
  email: string;
  name: string | null;
  role: "owner" | MemberRole;
  status: "member" | "pending";
}

/** Who a member route names: a user id, or the email the invitation went to. */
export type MemberKey = { userId: string } | { email: string };

/** A `:userId` segment as a key: a UUID is a user id, anything else the invitation's email. */
export function memberKey(segment: string): MemberKey {
  return isUuid(segment) ? { userId: segment } : { email: normalizeEmail(segment) };
}

const matches = (key: MemberKey) =>
  "userId" in key ? eq(projectMembers.userId, key.userId) : eq(projectMembers.email, key.email);

// The display name of a user row: first and last name, or null when neither is set.
const fullName = sql<
  string | null
>`nullif(trim(coalesce(${users.firstName}, '') || ' ' || coalesce(${users.lastName}, '')), '')`;

/** The project with its members' roles, in one query; undefined when there is no such project. */
export async function projectRoster(db: Database, projectId: string): Promise<Roster | undefined> {
  if (!isUuid(projectId)) return undefined;
  const rows = await db
    .select({ project: projects, userId: projectMembers.userId, role: projectMembers.role })
    .from(projects)
    .leftJoin(projectMembers, eq(projectMembers.projectId, projects.id))
    .where(eq(projects.id, projectId));
  const first = rows[0];
  if (!first) return undefined;
  const roles = new Map<string, MemberRole>();
  for (const row of rows) if (row.userId && row.role) roles.set(row.userId, row.role);
  return { project: first.project, roles, userIds: [first.project.userId, ...roles.keys()] };
}

/** Everyone on the project: the owner first, then members and invitations in the order they were added. */
export async function listMembers(db: Database, projectId: string): Promise<MemberRow[]> {
  const [owner, members] = await Promise.all([
    db
      .select({ userId: users.id, email: users.email, name: fullName })
      .from(projects)
      .innerJoin(users, eq(users.id, projects.userId))
      .where(eq(projects.id, projectId)),
    db
      .select({
        userId: projectMembers.userId,
        email: projectMembers.email,
        name: fullName,
        role: projectMembers.role,
      })
      .from(projectMembers)
      .leftJoin(users, eq(users.id, projectMembers.userId))
      .where(eq(projectMembers.projectId, projectId))
      .orderBy(asc(projectMembers.createdAt), asc(projectMembers.email)),
  ]);
  return [
    ...owner.map((o) => ({ ...o, role: "owner" as const, status: "member" as const })),
    ...members.map((m) => ({ ...m, status: m.userId ? ("member" as const) : ("pending" as const) })),
  ];
}

/** Add a member (or a pending invitation, without `userId`). A taken email throws the unique violation. */
export async function insertMember(
  db: Database,
  row: { projectId: string; email: string; userId: string | null; role: MemberRole; invitedBy: string },
): Promise<void> {
  await db.insert(projectMembers).values({ ...row, email: normalizeEmail(row.email) });
}

/** Change a member's role; false when the key names nobody on the project. */
export async function updateMemberRole(
  db: Database,
  projectId: string,
  key: MemberKey,
  role: MemberRole,
): Promise<boolean> {
  const updated = await db
    .update(projectMembers)
    .set({ role })
    .where(and(eq(projectMembers.projectId, projectId), matches(key)))
    .returning({ id: projectMembers.id });
  return updated.length === 1;
}

/** Remove a member or an invitation; returns the removed row's user id (null if pending), undefined if none. */
export async function deleteMember(
  db: Database,
  projectId: string,
  key: MemberKey,
): Promise<{ userId: string | null } | undefined> {
  const [deleted] = await db
    .delete(projectMembers)
    .where(and(eq(projectMembers.projectId, projectId), matches(key)))
    .returning({ userId: projectMembers.userId });
  return deleted;
}

/**
 * Turn the pending invitations to `email` into memberships of the user; returns the projects
 * concerned. Run when an account with that email comes into being.
 */
export async function claimInvitations(db: Database, userId: string, email: string): Promise<string[]> {
  const claimed = await db
    .update(projectMembers)
    .set({ userId })
    .where(and(eq(projectMembers.email, normalizeEmail(email)), isNull(projectMembers.userId)))
    .returning({ projectId: projectMembers.projectId });
  return claimed.map((c) => c.projectId);
}
