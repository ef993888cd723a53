import { and, asc, count, desc, eq, ilike, sql } from "drizzle-orm";
import { type Project, projects } from "../schema/projects.ts";
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

const ORDER = {
  updated: projects.updatedAt,
  name: sql`lower(${projects.name})`,
  language: projects.language,
  files: fileCount,
};

/** `escape` LIKE wildcards so a search for "50%" means the text, not a pattern. */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** One page of the user's projects, with the total for paging. */
export async function listProjects(
  db: Database,
  userId: string,
  options: { page: number; limit: number; search?: string; sort?: ProjectSort; order?: "asc" | "desc" },
): Promise<{ projects: ProjectSummary[]; total: number }> {
  const where = and(
    eq(projects.userId, userId),
    options.search ? ilike(projects.name, likeText(options.search)) : undefined,
  );
  const direction = (options.order ?? (options.sort === "name" ? "asc" : "desc")) === "asc" ? asc : desc;
  const [rows, [totals]] = await Promise.all([
    db
      .select(summary)
      .from(projects)
      .where(where)
      .orderBy(direction(ORDER[options.sort ?? "updated"]), desc(projects.id))
      .limit(options.limit)
      .offset((options.page - 1) * options.limit),
    db.select({ total: count() }).from(projects).where(where),
  ]);
  return { projects: rows, total: totals?.total ?? 0 };
}

/** How many projects the user owns. */
export async function countProjects(db: Database, userId: string): Promise<number> {
  const [row] = await db.select({ total: count() }).from(projects).where(eq(projects.userId, userId));
  return row?.total ?? 0;
}

/** The user's project with this id, or undefined (someone else's reads as missing). */
export async function getProject(db: Database, userId: string, id: string): Promise<Project | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.id, id), eq(projects.userId, userId)))
    .limit(1);
  return row;
}

export async function getProjectSummary(
  db: Database,
  userId: string,
  id: string,
): Promise<ProjectSummary | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await db
    .select(summary)
    .from(projects)
    .where(and(eq(projects.id, id), eq(projects.userId, userId)))
    .limit(1);
  return row;
}

export async function insertProject(
  db: Database,
  row: Pick<Project, "userId" | "name" | "description" | "language" | "template">,
): Promise<Project> {
  const [inserted] = await db.insert(projects).values(row).returning();
  return inserted!;
}

/** Rename or re-describe the user's project; false when it is not theirs. */
export async function updateProject(
  db: Database,
  userId: string,
  id: string,
  changes: Partial<Pick<Project, "name" | "description" | "indexingEnabled">>,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const updated = await db
    .update(projects)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(projects.id, id), eq(projects.userId, userId)))
    .returning({ id: projects.id });
  return updated.length === 1;
}

/** Delete the user's project; files, history and index entries go with it (foreign keys cascade). */
export async function deleteProject(db: Database, userId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const deleted = await db
    .delete(projects)
    .where(and(eq(projects.id, id), eq(projects.userId, userId)))
    .returning({ id: projects.id });
  return deleted.length === 1;
}

/** Mark a project modified now (after a file changed). */
export async function touchProject(db: Database, id: string): Promise<void> {
  await db.update(projects).set({ updatedAt: new Date() }).where(eq(projects.id, id));
}

/**
 * Whether the project exists and is to be indexed, for the background indexer (which acts on a
 * project id its owner's request already checked): undefined when the project is gone.
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
