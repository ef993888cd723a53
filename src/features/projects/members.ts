/**
 * A project's members: who may use it besides its owner, and how. Listing is for every member;
 * adding, changing and removing others for the owner; leaving for anyone but the owner. An
 * email without an account is invited (pending) and becomes a member when that account is made.
 */

import { projectScope, userScope } from "../../adapters/cache/memo.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import * as members from "../../db/queries/members.ts";
import { getUserByEmail, normalizeEmail } from "../../db/queries/users.ts";
import type { MemberRole } from "../../db/schema/project-members.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../../errors.ts";
import type { LiveDocuments, Ports } from "../../ports.ts";
import { type ProjectAccess, projectAccess } from "./access.ts";

/** `collab`, when given, closes the live-document sockets of people whose access changed. */
type MemberDeps = Pick<Ports, "db" | "memo"> & { collab?: Pick<LiveDocuments, "accessChanged"> };

export type Member = members.MemberRow;

/** Everyone on the project, owner first; for any member to see. */
export async function listMembers(deps: MemberDeps, userId: string, projectId: string): Promise<Member[]> {
  const { project } = await projectAccess(deps, userId, projectId, "viewer");
  return loadMembers(deps, project.id);
}

async function loadMembers(deps: MemberDeps, projectId: string): Promise<Member[]> {
  const list = await deps.memo.read(
    projectScope(projectId),
    "members",
    async () => ({ list: await members.listMembers(await deps.db.get(), projectId) }),
    (value) => 128 + value.list.length * 256,
  );
  return list?.list ?? [];
}

/** The member a `:userId` segment names (a user id, or the email of an invitation or member). */
function find(list: Member[], key: members.MemberKey): Member | undefined {
  return list.find((m) => ("userId" in key ? m.userId === key.userId : m.email === key.email));
}

/**
 * Run a change of the project's membership, then retire the project's memoized data (roles
 * included, so access changes at once on every instance) and the project list of the member
 * concerned.
 */
async function changing<T>(
  deps: MemberDeps,
  access: ProjectAccess,
  member: string | null,
  write: () => Promise<T>,
) {
  const result = await deps.memo.writing(
    [projectScope(access.project.id), ...(member ? [userScope(member)] : [])],
    write,
  );
  await deps.collab?.accessChanged(access.project.id);
  return result;
}

/**
 * Add a member by email (the owner only). An email with an account is a member at once; one
 * without is a pending invitation. The owner's own email, or anyone already on the list, is 409.
 */
export async function addMember(
  deps: MemberDeps,
  userId: string,
  projectId: string,
  input: { email: string; role: MemberRole },
): Promise<Member> {
  const access = await projectAccess(deps, userId, projectId, "owner");
  const email = normalizeEmail(input.email);
  const listed = find(await loadMembers(deps, access.project.id), { email });
  if (listed?.role === "owner") throw new ConflictError("The owner is already on the project");
  if (listed) throw new ConflictError(`${email} is already a member of this project`);
  const db = await deps.db.get();
  const row = { projectId: access.project.id, email, role: input.role, invitedBy: userId };
  let user = await getUserByEmail(db, email);
  try {
    await changing(deps, access, user?.id ?? null, () =>
      members.insertMember(db, { ...row, userId: user?.id ?? null }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`${email} is already a member of this project`);
    throw error;
  }
  if (!user) {
    // An account made with this email while the invitation was being written may have claimed
    // nothing (its claim ran first): look again, and claim the invitation for it now.
    user = await getUserByEmail(db, email);
    if (user) await joinInvitedProjects(deps, user);
  }
  const added = find(await loadMembers(deps, access.project.id), { email });
  if (!added) throw new NotFoundError("Member"); // removed again in the meantime
  return added;
}

/** Change a member's or an invitation's role (the owner only; the owner's own role is fixed). */
export async function changeRole(
  deps: MemberDeps,
  userId: string,
  projectId: string,
  target: string,
  role: MemberRole,
): Promise<Member> {
  const access = await projectAccess(deps, userId, projectId, "owner");
  const key = members.memberKey(target);
  const member = find(await loadMembers(deps, access.project.id), key);
  if (!member) throw new NotFoundError("Member");
  if (member.role === "owner") throw new ConflictError("The owner's role cannot change");
  const updated = await changing(deps, access, member.userId, async () =>
    members.updateMemberRole(await deps.db.get(), access.project.id, key, role),
  );
  if (!updated) throw new NotFoundError("Member");
  return { ...member, role };
}

/**
 * Remove a member or withdraw an invitation (the owner), or leave the project (any member for
 * themselves). The owner cannot leave: they delete the project instead. The removed member
 * loses access at once, on every instance.
 */
export async function removeMember(
  deps: MemberDeps,
  userId: string,
  projectId: string,
  target: string,
): Promise<void> {
  const access = await projectAccess(deps, userId, projectId, "viewer");
  const key = members.memberKey(target);
  const member = find(await loadMembers(deps, access.project.id), key);
  const leaving = member?.userId === userId;
  if (!leaving && access.role !== "owner") {
    throw new ForbiddenError("Only the project's owner can remove other members");
  }
  if (!member) throw new NotFoundError("Member");
  if (member.role === "owner") {
    throw new ConflictError("The owner cannot leave the project; delete it or keep it");
  }
  const removed = await changing(deps, access, member.userId, async () =>
    members.deleteMember(await deps.db.get(), access.project.id, key),
  );
  if (!removed) throw new NotFoundError("Member");
}

/**
 * Make a new account a member of every project that invited its email. Called when an account
 * is created (with a password or through OAuth).
 */
export async function joinInvitedProjects(
  deps: MemberDeps,
  user: { id: string; email: string },
): Promise<void> {
  const projectIds = await members.claimInvitations(await deps.db.get(), user.id, user.email);
  if (projectIds.length === 0) return;
  await deps.memo.invalidate([...projectIds.map(projectScope), userScope(user.id)]);
}
