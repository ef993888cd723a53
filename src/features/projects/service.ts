import { projectScope, userScope } from "../../adapters/cache/memo.ts";
import type { Config } from "../../config.ts";
import * as projects from "../../db/queries/projects.ts";
import { lockUser } from "../../db/queries/users.ts";
import type { Database } from "../../db/types.ts";
import type { Deps } from "../../deps.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../errors.ts";
import { measureContent, storeFile } from "../files/service.ts";
import { projectAccess, writingProject } from "./access.ts";
import { TEMPLATES, type Template, templateFor } from "./templates.ts";

/** `context` indexes new projects and forgets deleted ones (tests of this service may leave it out). */
export type ProjectDeps = Pick<Deps, "db" | "memo"> & Partial<Pick<Deps, "context" | "logger" | "collab">>;
/** Creating a project also checks the configured storage limits. */
type CreateDeps = ProjectDeps & { config: Pick<Config, "storage"> };

export type ProjectLanguage = Template["language"];

/** One page of the projects the caller owns or is a member of, each with the caller's role. */
export async function listProjects(
  deps: ProjectDeps,
  userId: string,
  query: {
    page: number;
    limit: number;
    search?: string;
    sort?: projects.ProjectSort;
    order?: "asc" | "desc";
  },
) {
  const page = await deps.memo.read(
    userScope(userId),
    `projects:${JSON.stringify(query)}`,
    async () => projects.listProjects(await deps.db.get(), userId, query),
    (p) => 256 + p.projects.length * 640,
  );
  const { projects: rows, total } = page ?? { projects: [], total: 0 };
  return { projects: rows, pagination: { page: query.page, limit: query.limit, total } };
}

/** A project the caller may read, as lists show it, with their role (and its owner, when shared). */
export async function getProject(deps: ProjectDeps, userId: string, id: string) {
  const access = await projectAccess(deps, userId, id, "viewer");
  const found = await deps.memo.read(projectScope(access.project.id), "summary", async () =>
    projects.getProjectSummary(await deps.db.get(), access.project.id),
  );
  if (!found) throw new NotFoundError("Project");
  return projects.withOwner(found.project, access.role, found.owner);
}

/**
 * Refuse a new project to an owner at their project limit (403 `project_limit`). Call inside the
 * creating transaction, under the owner's lock, so concurrent creations cannot pass it together.
 */
export async function assertUnderProjectLimit(tx: Database, storage: Config["storage"], userId: string) {
  if (storage.userProjects > 0 && (await projects.countProjects(tx, userId)) >= storage.userProjects)
    throw new ForbiddenError(
      `You have ${storage.userProjects} projects, the most one account may own; delete one to create another`,
      "project_limit",
    );
}

/**
 * Create a project seeded from a template (the language's default when none is named). An
 * owner at their project limit gets a 403 (`project_limit`); the seeded files count against
 * their storage quota like any save.
 */
export async function createProject(
  deps: CreateDeps,
  userId: string,
  input: {
    name: string;
    description?: string | undefined;
    language: ProjectLanguage;
    template?: string | undefined;
  },
) {
  const template = templateFor(input.language, input.template);
  if (!template)
    throw new ValidationError(`template: no template "${input.template}" for ${input.language}`, "template");
  const { storage } = deps.config;
  const db = await deps.db.get();
  const project = await deps.memo.writing(userScope(userId), () =>
    db.transaction(async (tx) => {
      await lockUser(tx, userId);
      await assertUnderProjectLimit(tx, storage, userId);
      const created = await projects.insertProject(tx, {
        userId,
        name: input.name.trim(),
        description: input.description?.trim() || null,
        language: input.language,
        template: template.id,
      });
      for (const [path, content] of Object.entries(template.files)) {
        const data = measureContent(path, content);
        await storeFile(tx, storage, { ownerId: userId, projectId: created.id, path, data, userId });
      }
      return created;
    }),
  );
  deps.context?.projectChanged(project.id);
  return getProject(deps, userId, project.id);
}

/** Rename or re-describe a project (its owner only). */
export async function updateProject(
  deps: ProjectDeps,
  userId: string,
  id: string,
  changes: { name?: string | undefined; description?: string | undefined },
) {
  const access = await projectAccess(deps, userId, id, "owner");
  const update = {
    ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
    ...(changes.description !== undefined ? { description: changes.description.trim() || null } : {}),
  };
  const updated = await writingProject(deps, access, async () =>
    projects.updateProject(await deps.db.get(), access.project.id, update),
  );
  if (!updated) throw new NotFoundError("Project");
  return getProject(deps, userId, access.project.id);
}

/** Delete a project with its files, history, members and index (its owner only). */
export async function deleteProject(deps: ProjectDeps, userId: string, id: string): Promise<void> {
  const access = await projectAccess(deps, userId, id, "owner");
  const deleted = await writingProject(deps, access, async () =>
    projects.deleteProject(await deps.db.get(), access.project.id),
  );
  if (!deleted) throw new NotFoundError("Project");
  // Its live documents went with it: their sockets close, on every instance.
  await deps.collab?.accessChanged(access.project.id);
  // The database's chunks went with the project; a Qdrant collection needs telling.
  await deps.context
    ?.drop(access.project.id)
    .catch((err) => deps.logger?.warn({ err, projectId: access.project.id }, "dropping the index failed"));
}

/** The file a new visitor of the project opens first: the template's entry, else the first non-README. */
export function entryFile(template: string | null, paths: string[]): string | undefined {
  const entry = TEMPLATES.find((t) => t.id === template)?.entry;
  return entry && paths.includes(entry) ? entry : (paths.find((p) => !p.endsWith(".md")) ?? paths[0]);
}
