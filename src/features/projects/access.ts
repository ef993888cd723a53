import { projectScope, userScope } from "../../adapters/cache/memo.ts";
import { isUuid } from "../../db/queries/ids.ts";
import { projectRoster } from "../../db/queries/members.ts";
import type { MemberRole } from "../../db/schema/project-members.ts";
import type { Project } from "../../db/schema/projects.ts";
import { ForbiddenError, NotFoundError } from "../../errors.ts";
import type { Ports } from "../../ports.ts";

/** What a person may do in a project: everything (owner), change files (editor), or read (viewer). */
export type Role = "owner" | MemberRole;

/** The caller's standing in one project, as the guard found it. */
export interface ProjectAccess {
  project: Project;
  role: Role;
  /** Everyone with access, owner first: whose project lists change when this project does. */
  userIds: readonly string[];
}

type AccessDeps = Pick<Ports, "db" | "memo">;

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

const REFUSAL: Record<Exclude<Role, "viewer">, string> = {
  editor: "Viewers of this project cannot change it, run its code or use the AI on it",
  owner: "Only the project's owner can do this",
};

/** Whether `role` allows what `need` names (owner ⊃ editor ⊃ viewer). */
export function allows(role: Role, need: Role): boolean {
  return RANK[role] >= RANK[need];
}

/**
 * The one answer to "who may do what here": the project and the caller's role in it, when that
 * role is at least `need`. Not a member (or no such project, or a malformed id): NotFoundError,
 * so a project's existence is never revealed. A member whose role is too low: ForbiddenError.
 * Every route that takes a project id asks this, through its service; nothing else checks
 * ownership. The answer comes from the project's read memo, so it is one lookup on the hot path
 * and changes on every instance as soon as the membership does.
 */
export async function projectAccess(
  deps: AccessDeps,
  userId: string,
  projectId: string,
  need: Role,
): Promise<ProjectAccess> {
  if (!isUuid(projectId)) throw new NotFoundError("Project");
  // One scope per project whatever the letter case of the id in the URL, or a write could miss it.
  const id = projectId.toLowerCase();
  const roster = await deps.memo.read(
    projectScope(id),
    "roster",
    async () => projectRoster(await deps.db.get(), id),
    (r) => 1024 + r.roles.size * 192,
  );
  const role = roster && (roster.project.userId === userId ? "owner" : roster.roles.get(userId));
  if (!roster || !role) throw new NotFoundError("Project");
  if (!allows(role, need)) throw new ForbiddenError(REFUSAL[need as Exclude<Role, "viewer">]);
  return { project: roster.project, role, userIds: roster.userIds };
}

/**
 * Run a write to the project's data, then retire what every instance memoized of it: the
 * project's scope, and the project lists of everyone who sees it.
 */
export function writingProject<T>(deps: AccessDeps, access: ProjectAccess, write: () => Promise<T>) {
  return deps.memo.writing([projectScope(access.project.id), ...access.userIds.map(userScope)], write);
}
