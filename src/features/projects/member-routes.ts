import { Elysia } from "elysia";
import type { Deps } from "../../deps.ts";
import { authPlugin } from "../../plugins/auth.ts";
import * as members from "./members.ts";
import { AddMemberBody, MemberParams, ProjectParams, UpdateMemberBody } from "./model.ts";

/**
 * The JSON face of a project's members (API.md "Collaboration"). A pending invitation has no
 * user id yet: its `:userId` segment is the invited email (any member may be named by email).
 */
export function memberRoutes(deps: Deps) {
  return new Elysia({ prefix: "/api/v1/projects" })
    .use(authPlugin(deps))
    .get(
      "/:id/members",
      async ({ principal, params }) => ({
        members: await members.listMembers(deps, principal.userId, params.id),
      }),
      { auth: true, params: ProjectParams },
    )
    .post(
      "/:id/members",
      async ({ principal, params, body, set }) => {
        const member = await members.addMember(deps, principal.userId, params.id, body);
        set.status = 201;
        return member;
      },
      { auth: true, params: ProjectParams, body: AddMemberBody },
    )
    .patch(
      "/:id/members/:userId",
      ({ principal, params, body }) =>
        members.changeRole(deps, principal.userId, params.id, params.userId, body.role),
      { auth: true, params: MemberParams, body: UpdateMemberBody },
    )
    .delete(
      "/:id/members/:userId",
      async ({ principal, params, set }) => {
        await members.removeMember(deps, principal.userId, params.id, params.userId);
        set.status = 204;
      },
      { auth: true, params: MemberParams },
    );
}
