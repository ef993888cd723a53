import { asc, count, desc, eq, ilike, sql } from "drizzle-orm";
import { projectMembers } from "../schema/project-members.ts";
import { type Project, projects } from "../schema/projects.ts";
import { users } from "../schema/users.ts";
import type { Database } from "../types.ts";
import { isUuid } from "./ids.ts";

/** A project as lists show it. */
export interface ProjectSummary {
  id: string;
  name: string;
  description: string | null;
  language: string | null;
  fileCount: number;
  lastModified: Date;
}

/** Who owns a project, as a member of it sees them. */
export interface ProjectOwner {
  id: string;
  email: string;
  name: string | null;
}

/** A project in someone's list: with their role in it and, when it is shared with them, its owner. */
export interface ProjectListItem extends ProjectSummary {
  role: "owner" | "editor" | "viewer";
  owner?: ProjectOwner;
}

export type ProjectSort = "updated" | "name" | "language" | "files";

// Written out qualified: drizzle renders columns unqualified here, and a bare "id" would bind to project_files.
const fileCount = sql<number>`(select count(*)::int from "project_files" where "project_files"."project_id" = "projects"."id")`;

const summary = {
  id: projects.id,
  name: projects.name,
  description: projects.description,
  language: projects.language,
  fileCount,
  lastModified: projects.updatedAt,
};

const ownerColumns = {
  ownerId: users.id,
  ownerEmail: users.email,
  ownerName: sql<
    string | null
  >`nullif(trim(coalesce(${users.firstName}, '') || ' ' || coalesce(${users.lastName}, '')), '')`,
};

const ORDER = {
  updated: projects.updatedAt,
  name: sql`lower(${projects.name})`,
  language: projects.language,
  files: fileCount,
};

/** `escape` LIKE wildcards so a search for "50%" means the text, not a pattern. */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of the projects the user owns or is a member of, with their role in each and the
 * owner of each shared one, and the total for paging. The projects are found through the two
 * indexes (projects by owner, members by user) and then joined, never by scanning every project.
 */
export async function listProjects(
  db: Database,
  userId: string,
  options: { page: number; limit: number; search?: string; sort?: ProjectSort; order?: "asc" | "desc" },
): Promise<{ projects: ProjectListItem[]; total: number }> {
  // Aliased: unqualified outside the subquery, "id" and "role" would clash with projects and users.
  const mine = db
    .select({
      projectId: sql<string>`${projects.id}`.as("mine_project_id"),
      role: sql<string>`'owner'`.as("mine_role"),
    })
    .from(projects)
    .where(eq(projects.userId, userId))
    .unionAll(
      db
        .select({
          projectId: sql<string>`${projectMembers.projectId}`.as("mine_project_id"),
          role: sql<string>`${projectMembers.role}`.as("mine_role"),
        })
        .from(projectMembers)
        .where(eq(projectMembers.userId, userId)),
    )
    .as("mine");
  const where = options.search ? ilike(projects.name, likeText(options.search)) : undefined;
  const direction = (options.order ?? (options.sort === "name" ? "asc" : "desc")) === "asc" ? asc : desc;
  const [rows, [totals]] = await Promise.all([
    db
      .select({ ...summary, role: mine.role, ...ownerColumns })
      .from(mine)
      .innerJoin(projects, eq(projects.id, mine.projectId))
      .innerJoin(users, eq(users.id, projects.userId))
      .where(where)
      .orderBy(direction(ORDER[options.sort ?? "updated"]), desc(projects.id))
      .limit(options.limit)
      .offset((options.page - 1) * options.limit),
    db
      .select({ total: count() })
      .from(mine)
      .innerJoin(projects, eq(projects.id, mine.projectId))
      .where(where),
  ]);
  return {
    projects: rows.map(({ role, ownerId, ownerEmail, ownerName, ...project }) =>
      withOwner(project, role as ProjectListItem["role"], {
        id: ownerId,
        email: ownerEmail,
        name: ownerName,
      }),
    ),
    total: totals?.total ?? 0,
  };
}

/** A project as `role` sees it: the owner named only when it is someone else. */
export function withOwner(project: ProjectSummary, role: ProjectListItem["role"], owner: ProjectOwner) {
  return role === "owner" ? { ...project, role } : { ...project, role, owner };
}

/** How many projects the user owns (shared with them does not count). */
export async function countProjects(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(projects).where(eq(projects.userId, userId));
  return row?.total ?? 0;
}

/** The project with this id as lists show it, and its owner (callers have asked the access guard). */
export async function getProjectSummary(
  db: Database,
  id: string,
): Promise<{ project: ProjectSummary; owner: ProjectOwner } | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ ...summary, ...ownerColumns })
    .from(projects)
    .innerJoin(users, eq(users.id, projects.userId))
    .where(eq(projects.id, id))
    .limit(1);
  if (!row) return undefined;
  const { ownerId, ownerEmail, ownerName, ...project } = row;
  return { project, owner: { id: ownerId, email: ownerEmail, name: ownerName } };
}

export async function insertProject(
  db: Database,
  row: Pick<Project, "userId" | "name" | "description" | "language" | "template">,
): Promise<Project> {
  const [inserted] = await db.insert(projects).values(row).returning();
  return inserted!;
}

/** Rename or re-describe a project, or switch its index (callers have asked the access guard). */
export async function updateProject(
  db: Database,
  id: string,
  changes: Partial<Pick<Project, "name" | "description" | "indexingEnabled">>,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const updated = await db
    .update(projects)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(projects.id, id))
    .returning({ id: projects.id });
  return updated.length === 1;
}

/** Delete a project; files, history, members and index entries go with it (foreign keys cascade). */
export async function deleteProject(db: Database, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const deleted = await db.delete(projects).where(eq(projects.id, id)).returning({ id: projects.id });
  return deleted.length === 1;
}

/** Mark a project modified now (after a file changed). */
export async function touchProject(db: Database, id: string): Promise<void> {
  await db.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
}

/**
 * Whether the project exists and is to be indexed, for the background indexer (which acts on a
 * project id a member's request already checked): undefined when the project is gone.
 */
export async function indexingEnabledOf(db: Database, id: string): Promise<boolean | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select({ enabled: projects.indexingEnabled })
    .from(projects)
    .where(eq(projects.id, id))
    .limit(1);
  return row?.enabled;
}
